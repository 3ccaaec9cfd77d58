"""19.0.1.4.0: a closed daily check of the home programme is frozen from the moment it closes
(``date_closed``). The checks closed before are given the moment they closed: a check without a
red flag when it was answered, a re-screened one when the patient was re-screened."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE clinic_home_check
           SET date_closed = COALESCE(date_rescreened, date)
         WHERE state IN ('clear', 'rescreened') AND date_closed IS NULL
        """
    )
