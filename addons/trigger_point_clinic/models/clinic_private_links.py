"""A patient's private links (an intake's, an appointment confirmation's) reach the patient and
nobody else: they are rendered only while the clinic's own code e-mails them, and what stays
readable in the database (the mail's message, the chatter, the forms) holds none.

``private_links()`` is entered by Python code only: no context key, nothing a JSON-RPC call, a
mail composer or a template preview can set. Outside it, the links render without their token
(they open nothing)."""

import contextvars
from contextlib import contextmanager

_PRIVATE_LINKS = contextvars.ContextVar("clinic_private_links", default=False)


@contextmanager
def private_links():
    """While the patient's e-mail (or SMS) is rendered: its links carry their token."""
    reset = _PRIVATE_LINKS.set(True)
    try:
        yield
    finally:
        _PRIVATE_LINKS.reset(reset)


def private_links_allowed():
    return _PRIVATE_LINKS.get()


def send_private_mail(template, record, note, layout=False):
    """Queue ``template`` rendered on ``record`` with its private links, as one ``mail.mail``
    (superuser, deleted once sent): the e-mail carries the links, the message that the
    database keeps of it says ``note`` only. Returns the ``mail.mail`` (superuser)."""
    with private_links():
        mail_id = template.sudo().send_mail(record.id, email_layout_xmlid=layout)
    mail = record.env["mail.mail"].sudo().browse(mail_id)
    mail.write({"body": note, "auto_delete": True})
    return mail
