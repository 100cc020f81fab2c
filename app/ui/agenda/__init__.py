"""The center's agenda: day and week views, booking, the day list, a patient's appointments."""

from app.ui.agenda.page import AgendaPage
from app.ui.agenda.patient_appointments import PatientAppointments

__all__ = ["AgendaPage", "PatientAppointments"]
