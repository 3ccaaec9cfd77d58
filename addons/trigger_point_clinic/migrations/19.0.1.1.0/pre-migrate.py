"""19.0.1.1.0: the screening leaves the patient for clinic.patient.screening, and the record
rules read the stored care relation.

Before the data is loaded: the record rules installed with ``noupdate`` are let update (the
rules file is no longer ``noupdate``), and the patient's old screening columns and tables,
clinical content in a model the front desk reads, are dropped (the new model recomputes them).
"""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE ir_model_data SET noupdate = false
         WHERE module = 'trigger_point_clinic' AND model = 'ir.rule'
        """
    )
    for column in (
        "screening_verdict",
        "screening_reasons",
        "screening_precautions",
        "screening_max_pressure",
        "screening_review_date",
    ):
        cr.execute(f"ALTER TABLE clinic_patient DROP COLUMN IF EXISTS {column}")
    cr.execute("DROP TABLE IF EXISTS clinic_patient_screening_contraindication_rel")
    cr.execute("DROP TABLE IF EXISTS clinic_patient_excluded_region_rel")
