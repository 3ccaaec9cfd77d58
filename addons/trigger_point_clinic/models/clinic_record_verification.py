from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .clinic_cron import single_run
from .clinic_record_seal import GENESIS, SEALED, seal_digest
from .clinic_treatment_note import hash_version
from .clinic_workflow import ADMINISTRATOR, MANAGER, append_only_sql, check_access_first

# The to-do's activity type (data/clinic_activity_data.xml).
CHAIN_BROKEN = "trigger_point_clinic.mail_activity_type_chain_broken"
# The columns of a verification's result: no one changes them (its activities may change).
RESULT = (
    "company_id",
    "verified_at",
    "state",
    "seal_count",
    "head_sequence",
    "head_hash",
    "problems",
    "unchained_count",
    "unchained",
)
# How many records signed but not yet linked a verification names (it counts them all).
UNCHAINED_LISTED = 50


class ClinicRecordVerification(models.Model):
    """One check of a company's chain of clinical records: every seal follows the one before
    it, every sealed record still has the content it was sealed with (the records signed but
    not yet linked into the chain too, against the hash stored when they were signed), every
    final record has a seal, and the chain still ends where earlier checks saw it end. It names
    the records signed but not yet linked. Kept, append-only: the head each check saw anchors
    the next."""

    _name = "clinic.record.verification"
    _description = "Verification of Clinical Records"
    _inherit = ["clinic.reminder.mixin", "mail.thread"]
    _order = "verified_at desc, id desc"
    # Administrators read the result and mark its activity done; nobody writes it.
    _mail_post_access = "read"

    company_id = fields.Many2one(comodel_name="res.company", required=True, readonly=True)
    verified_at = fields.Datetime(required=True, readonly=True)
    state = fields.Selection(
        [("intact", "Intact"), ("broken", "Broken")], required=True, readonly=True
    )
    seal_count = fields.Integer(string="Sealed Records", readonly=True)
    head_sequence = fields.Integer(string="Last Seal", readonly=True)
    head_hash = fields.Char(string="Last Seal Hash", readonly=True)
    problems = fields.Text(readonly=True)
    unchained_count = fields.Integer(
        string="Signed, Not Yet Chained",
        readonly=True,
        help="Records signed after the last chaining batch: their content hash is stored and "
        "checked; the next batch links them into the chain.",
    )
    unchained = fields.Text(string="Not Yet Chained", readonly=True)

    def init(self):
        res = super().init()
        self.env.cr.execute(append_only_sql(self._table, columns=RESULT))
        return res

    @api.depends("company_id", "verified_at", "state")
    def _compute_display_name(self):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for verification in self:
            verification.display_name = self.env._(
                "%(company)s: %(state)s",
                company=verification.company_id.name or "",
                state=labels.get(verification.state, ""),
            )

    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super
        check_access_first(self, "create")
        raise UserError(
            self.env._("Use Verify Clinical Records: a verification is made by checking.")
        )

    def write(self, vals):
        check_access_first(self, "write")
        if set(vals) - {"activity_ids", "message_main_attachment_id"}:
            raise UserError(self.env._("A verification cannot be changed."))
        return super().write(vals)

    def unlink(self):  # pylint: disable=method-required-super
        check_access_first(self, "unlink")
        raise UserError(self.env._("A verification cannot be deleted."))

    # ------------------------------------------------------------------ actions

    @api.model
    def action_verify(self):
        """Check the chains of the current user's companies and show the result."""
        self.browse().check_access("read")
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a manager verifies the clinical records."))
        verifications = self.browse()
        for company in self.env.companies:
            # The records signed so far are linked first: the check covers them in the chain.
            self.env["clinic.record.seal"]._chain(company)
            verifications |= self._verify(company)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "trigger_point_clinic.clinic_record_verification_action"
        )
        if len(verifications) == 1:
            action.update(res_id=verifications.id, view_mode="form", views=[(False, "form")])
        else:
            action["domain"] = [("id", "in", verifications.ids)]
        return action

    @api.model
    @single_run
    def _cron_verify(self):
        for company in self.env["res.company"].sudo().search([]):
            self.env["clinic.record.seal"]._chain(company)
            self._verify(company)

    # ------------------------------------------------------------------ the check

    @api.model
    def _verify(self, company):
        problems = self._chain_problems(company)
        unchained = self._unchained(company)
        cr = self.env.cr
        cr.execute(
            """
            SELECT count(*), max(sequence) FROM clinic_record_seal WHERE company_id = %s
            """,
            [company.id],
        )
        count, head = cr.fetchone()
        cr.execute(
            "SELECT seal_hash FROM clinic_record_seal WHERE company_id = %s AND sequence = %s",
            [company.id, head or 0],
        )
        row = cr.fetchone()
        cr.execute(
            """
            INSERT INTO clinic_record_verification (company_id, verified_at, state, seal_count,
                                                    head_sequence, head_hash, problems,
                                                    unchained_count, unchained,
                                                    create_uid, create_date, write_uid,
                                                    write_date)
                 VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, now() AT TIME ZONE 'UTC',
                         %s, now() AT TIME ZONE 'UTC')
              RETURNING id
            """,
            [
                company.id,
                fields.Datetime.now(),
                "broken" if problems else "intact",
                count,
                head or 0,
                row[0] if row else GENESIS,
                # NULL when intact: a Python False would be stored as the text "false".
                "\n".join(problems) or None,
                len(unchained),
                "\n".join(unchained[:UNCHAINED_LISTED]) or None,
                self.env.uid,
                self.env.uid,
            ],
        )
        verification = self.browse(cr.fetchone()[0])
        if problems:
            for user in company._clinic_users(ADMINISTRATOR):
                verification._clinic_remind(user, CHAIN_BROKEN, "\n".join(problems[:20]))
        return verification

    def _chain_problems(self, company):
        """What is wrong with ``company``'s chain, one sentence per break."""
        _ = self.env._
        cr = self.env.cr
        cr.execute(
            """
            SELECT sequence, res_model, res_id, content_hash, previous_hash, seal_hash, sealed_at
              FROM clinic_record_seal
             WHERE company_id = %s AND sequence IS NOT NULL
          ORDER BY sequence, id
            """,
            [company.id],
        )
        seals = cr.fetchall()
        problems = []
        expected, previous_hash, previous_at = 1, GENESIS, None
        sealed = {}
        for sequence, res_model, res_id, content_hash, prev, seal_hash, sealed_at in seals:
            if sequence > expected:
                problems.append(
                    _(
                        "Seals %(first)s to %(last)s are missing: they were deleted.",
                        first=expected,
                        last=sequence - 1,
                    )
                    if sequence - 1 > expected
                    else _("Seal %(number)s is missing: it was deleted.", number=expected)
                )
            elif sequence < expected:
                problems.append(
                    _("Seal %(number)s appears twice: one was inserted.", number=sequence)
                )
            if prev != previous_hash:
                problems.append(
                    _(
                        "Seal %(number)s does not follow the seal before it: a seal was "
                        "inserted, deleted or rewritten before it.",
                        number=sequence,
                    )
                )
            if (
                seal_digest(prev, company.id, sequence, res_model, res_id, content_hash, sealed_at)
                != seal_hash
            ):
                problems.append(
                    _("Seal %(number)s was changed after it was made.", number=sequence)
                )
            if previous_at and sealed_at < previous_at:
                problems.append(
                    _(
                        "Seal %(number)s is dated before the seal before it: it was inserted "
                        "out of order.",
                        number=sequence,
                    )
                )
            sealed.setdefault(res_model, {})[res_id] = (sequence, content_hash)
            expected = max(expected, sequence + 1)
            previous_hash, previous_at = seal_hash, sealed_at
        cr.execute(
            "SELECT sequence, seal_hash FROM clinic_record_seal_head WHERE company_id = %s",
            [company.id],
        )
        head = cr.fetchone()
        if head and head[0] > (seals[-1][0] if seals else 0):
            problems.append(
                _(
                    "The chain ended at seal %(head)s, but seal %(head)s is gone: the last "
                    "seals were deleted.",
                    head=head[0],
                )
            )
        problems += self._anchor_problems(company, {seal[0]: seal[5] for seal in seals})
        # Signed, not yet linked: each record is checked against the hash stored at signing.
        cr.execute(
            """
            SELECT res_model, res_id, content_hash FROM clinic_record_seal
             WHERE company_id = %s AND sequence IS NULL
          ORDER BY id
            """,
            [company.id],
        )
        for res_model, res_id, content_hash in cr.fetchall():
            sealed.setdefault(res_model, {})[res_id] = (None, content_hash)
        for model_name, domain in SEALED.items():
            problems += self._record_problems(
                company, model_name, domain, sealed.get(model_name, {})
            )
        return problems

    def _unchained(self, company):
        """The records of ``company`` signed but not yet linked into its chain, one line each,
        oldest first, with when they were signed in the clinic's time (the check is kept as
        text, read later by anyone, anywhere)."""
        self.env.cr.execute(
            """
            SELECT res_model, res_id, signed_at FROM clinic_record_seal
             WHERE company_id = %s AND sequence IS NULL
          ORDER BY signed_at, id
            """,
            [company.id],
        )
        tz = company._clinic_tz()
        return [
            self.env._(
                "%(model)s #%(id)s, signed %(when)s (%(zone)s)",
                model=self.env[res_model]._description if res_model in self.env else res_model,
                id=res_id,
                when=f"{company._clinic_local_datetime(signed_at):%Y-%m-%d %H:%M}",
                zone=tz.zone,
            )
            for res_model, res_id, signed_at in self.env.cr.fetchall()
        ]

    def _anchor_problems(self, company, hashes):
        """Earlier checks saw the chain end at a seal; that seal must still be the same."""
        problems = []
        self.env.cr.execute(
            """
            SELECT DISTINCT head_sequence, head_hash
              FROM clinic_record_verification
             WHERE company_id = %s AND head_sequence > 0
            """,
            [company.id],
        )
        for sequence, head_hash in self.env.cr.fetchall():
            if hashes.get(sequence) != head_hash:
                problems.append(
                    self.env._(
                        "Seal %(number)s differs from the one an earlier verification saw: the "
                        "chain was rewritten after it.",
                        number=sequence,
                    )
                )
        return problems

    def _record_problems(self, company, model_name, domain, sealed):
        """The records of ``model_name`` that changed or vanished since they were sealed, and
        the final ones that were never sealed."""
        _ = self.env._
        model = self.env[model_name].sudo().with_context(active_test=False)
        description = model._description
        problems = []
        records = model.browse(list(sealed)).exists()
        for res_id, (sequence, content_hash) in sorted(sealed.items()):
            record = records.browse(res_id)
            if record not in records and sequence is None:
                problems.append(
                    _(
                        "%(model)s #%(id)s, signed and not yet chained, was deleted.",
                        model=description,
                        id=res_id,
                    )
                )
            elif record not in records:
                problems.append(
                    _(
                        "%(model)s #%(id)s, sealed by seal %(number)s, was deleted.",
                        model=description,
                        id=res_id,
                        number=sequence,
                    )
                )
            # Each seal is checked with the recipe it was made with (its hash's version).
            elif record._clinic_seal_digest(hash_version(content_hash)) == content_hash:
                continue
            elif sequence is None:
                problems.append(
                    _(
                        "%(record)s (%(model)s #%(id)s) was changed after it was signed (not "
                        "yet chained).",
                        record=record.display_name,
                        model=description,
                        id=res_id,
                    )
                )
            else:
                problems.append(
                    _(
                        "%(record)s (%(model)s #%(id)s) was changed after it was sealed by seal "
                        "%(number)s.",
                        record=record.display_name,
                        model=description,
                        id=res_id,
                        number=sequence,
                    )
                )
        unsealed = model.search(
            [*domain, ("company_id", "=", company.id), ("id", "not in", list(sealed))]
        )
        for record in unsealed:
            problems.append(
                _(
                    "%(record)s (%(model)s #%(id)s) is final but has no seal: it was written "
                    "outside the clinic's workflow.",
                    record=record.display_name,
                    model=description,
                    id=record.id,
                )
            )
        return problems
