"""What a user sees when the database stays too busy for a request: a readable message.

Odoo runs a request again when PostgreSQL refuses to serialise it, times out on a lock or
breaks a deadlock (``odoo.service.model.retrying``, five tries). When the last try fails as
well, Odoo hands the raw database error to ``ir.http._handle_error``: the web client would show
``psycopg2.errors.SerializationFailure`` and a portal page an error 500. Every try was rolled
back, so the clinic can say so plainly.
"""

import logging

from psycopg2 import errors

from odoo import models
from odoo.exceptions import ConcurrencyError, LockError, UserError
from odoo.http import request

_logger = logging.getLogger(__name__)

# The failures Odoo retries (``PG_CONCURRENCY_EXCEPTIONS_TO_RETRY`` and ``ConcurrencyError``).
BUSY = (
    errors.SerializationFailure,
    errors.DeadlockDetected,
    errors.LockNotAvailable,
    ConcurrencyError,
)


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        """A request that ran out of Odoo's tries answers "the clinic is busy": to JSON-RPC as
        a user error (the web client's warning dialog), to a page as 409 Conflict with the
        message; nothing of the database's error reaches the user."""
        if isinstance(exception, BUSY):
            _logger.warning("Out of tries on concurrency failures: %s", exception)
            message = request.env._("The clinic is busy: nothing was saved, please try again")
            if request.dispatcher.routing_type == "jsonrpc":
                busy = UserError(message)
            else:
                busy = LockError(message)
            return super()._handle_error(busy)
        return super()._handle_error(exception)
