"""The front desk's patient screens: registration and demographics, their history."""

from app.ui.registration.dialog import RegistrationDialog
from app.ui.registration.history_dialog import DemographicsHistoryDialog

__all__ = ["DemographicsHistoryDialog", "RegistrationDialog"]
