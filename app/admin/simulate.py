"""``medirete-admin simulate``: realistic writes through the services, for demos and sync.

The verb opens a center as one user and writes N changes as that user, each one service
call (one transaction), as the desktop would: signed visits, vitals, contact changes of
existing patients and bookings in free slots, only the kinds the user's role may write.
Patients, kinds and slots are picked with ``random.Random(seed)``: the same seed on the
same center (on the same day) makes the same choices. Every value written is synthetic.
"""

from __future__ import annotations

import argparse
import logging
import random
import string
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from app.admin.secrets import read_password
from app.core.clock import utc_now
from app.core.errors import AccessDenied, InvalidInput, MedireteError, NotFound
from app.core.formats import format_decimal, role_msgid
from app.core.i18n import _
from app.records.agenda_time import local_today
from app.records.permissions import ROLE_PERMISSIONS, Permission
from app.records.services import Records
from app.records.services.agenda_views import ClinicianView, VisitTypeView
from app.records.services.versions import NURSING_VISIT
from app.records.services.views import PatientSummary
from app.records.services.visits import VITAL_BY_KEY, VisitDraft
from app.records.storage.clinical import ClinicalAccessPending
from app.records.synthetic import soap
from app.records.synthetic.places import pick_address

if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]
    AddVerb = Callable[[Subparsers, str, str, Callable[[argparse.Namespace], int]],
                       argparse.ArgumentParser]

log = logging.getLogger("medirete.admin.simulate")

# The kinds of write, in the order the summary line reports them, and how often each
# comes up (a GP's day: more vitals and visits than anagrafica edits and bookings).
WRITE_KINDS = ("visits", "vitals", "demographics", "bookings")
_WEIGHTS = {"visits": 30, "vitals": 35, "demographics": 20, "bookings": 15}
ATTEMPTS_PER_WRITE = 10
BOOKING_DAYS = 28  # bookings go into the coming four weeks
_PER_LETTER = 5000  # patients read per initial of the surname (a search's limit)

# What a user or the center's state can cause: that write is skipped, another is tried.
# Anything else (disk full, a locked or damaged record, a bug) stops the run.
REFUSALS: tuple[type[MedireteError], ...] = (
    InvalidInput,  # SlotTaken too
    AccessDenied,
    NotFound,
    ClinicalAccessPending,
)

# Synthetic clinical text (data, not interface: Italian like the rest of the demo record).
_NURSING_SUBJECTIVE = (
    "Viene per il controllo periodico dei parametri.",
    "Riferisce benessere, nessun disturbo.",
    "Porta il diario pressorio domiciliare.",
)
_ASSESSMENTS = (
    "Quadro clinico stabile.",
    "Parametri nella norma.",
    "Buon compenso pressorio.",
    "Compenso pressorio non ottimale, da rivalutare.",
)
_NURSING_ASSESSMENTS = ("Parametri nella norma.", "PA lievemente elevata, segnalata al medico.")
_PHONE_VISIT = "Contatto telefonico: riferisce benessere, chiede il rinnovo della terapia."
_DESK_NOTES = (None, None, "Prenotato al telefono", "Prenotato allo sportello",
               "Portare gli esami recenti", "Richiamare il giorno prima")
# Vitals measured alone at the desk, with a plausible range; blood pressure is measured
# in visits, where systolic and diastolic are signed together in one transaction.
_VITAL_RANGES = {
    "weight": (48.0, 115.0, 1),
    "glucose": (72.0, 190.0, 0),
    "pulse": (52.0, 104.0, 0),
    "spo2": (93.0, 99.0, 0),
    "temperature": (35.8, 37.9, 1),
}


class _NothingToWrite(Exception):
    """No write of this kind fits now (a day without free slots): try another one."""


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            _("must be a positive integer, not {value}").format(value=text))
    return value


def writable_kinds(role: str, clinical_open: bool) -> tuple[str, ...]:
    """The kinds of write this role may make (clinical ones only with the clinical key)."""
    held = ROLE_PERMISSIONS.get(role, frozenset())
    kinds: list[str] = []
    if Permission.WRITE_OBSERVATION in held and clinical_open:
        kinds += ["visits", "vitals"]  # a nurse's visits are nursing visits
    if Permission.WRITE_DEMOGRAPHICS in held:
        kinds.append("demographics")
    if Permission.WRITE_AGENDA in held:
        kinds.append("bookings")
    return tuple(kinds)


def _patients(records: Records) -> list[PatientSummary]:
    """Every patient the searches by initial find, in a stable order (by id)."""
    found: dict[str, PatientSummary] = {}
    for letter in string.ascii_uppercase:
        for patient in records.patients.search(letter, limit=_PER_LETTER):
            found.setdefault(patient.id, patient)
    return sorted(found.values(), key=lambda p: p.id)


class Simulator:
    """Makes one realistic write at a time as the record's user."""

    def __init__(self, records: Records, rng: random.Random) -> None:
        self.records = records
        self.rng = rng
        role = records.user.role
        self.kinds = writable_kinds(role, records.db.clinical)
        if not self.kinds:
            raise AccessDenied(role=role_msgid(role),
                               action="write visits, vitals, demographics or bookings")
        self.patients = _patients(records)
        if not self.patients:
            raise MedireteError("The center has no patients to write about")
        self.gp_visits = Permission.WRITE_CLINICAL in ROLE_PERMISSIONS[role]
        self.clinicians: list[ClinicianView] = []
        self.visit_types: list[VisitTypeView] = []
        if "bookings" in self.kinds:
            self.clinicians = records.agenda.clinicians()
            self.visit_types = [v for v in records.schedules.visit_types() if v.active]
        self.today: date = local_today()
        self._writers: dict[str, Callable[[PatientSummary], None]] = {
            "visits": self._visit, "vitals": self._vital,
            "demographics": self._demographics, "bookings": self._booking,
        }

    def write(self) -> str:
        """Pick a kind and a patient and write once; returns the kind written.

        Raises one of REFUSALS or _NothingToWrite when this write could not be made.
        """
        kind = self.rng.choices(self.kinds, weights=[_WEIGHTS[k] for k in self.kinds])[0]
        patient = self.rng.choice(self.patients)
        self._writers[kind](patient)
        return kind

    # -- visits and vitals --------------------------------------------------------------
    def _visit(self, patient: PatientSummary) -> None:
        rng = self.rng
        started = utc_now().replace(second=0, microsecond=0)
        if not self.gp_visits:
            vitals = self._vitals(pulse=True)
            draft = VisitDraft(patient.id, started, NURSING_VISIT,
                               subjective=rng.choice(_NURSING_SUBJECTIVE),
                               objective=soap.vitals_text(_by_display(vitals)),
                               assessment=rng.choice(_NURSING_ASSESSMENTS),
                               plan=rng.choice(soap.NURSING_PLANS), vitals=vitals)
        elif rng.random() < 0.15:
            draft = VisitDraft(patient.id, started, "phone", subjective=_PHONE_VISIT,
                               plan=rng.choice(soap.PLANS))
        else:
            kind = "home" if rng.random() < 0.1 else "ambulatory"
            vitals = self._vitals(pulse=rng.random() < 0.5)
            draft = VisitDraft(patient.id, started, kind,
                               subjective=soap.subjective(rng, []),
                               objective=soap.objective(_by_display(vitals), []),
                               assessment=rng.choice(_ASSESSMENTS),
                               plan=soap.plan(rng, [], [], rng.random() < 0.3,
                                              on_therapy=rng.random() < 0.6),
                               vitals=vitals)
        self.records.visits.sign(draft)

    def _vitals(self, *, pulse: bool) -> tuple[tuple[str, float], ...]:
        """Blood pressure (and the pulse), as measured in a visit."""
        systolic = float(self.rng.randint(105, 165))
        diastolic = float(self.rng.randint(60, min(100, int(systolic) - 30)))
        vitals = [("systolic", systolic), ("diastolic", diastolic)]
        if pulse:
            vitals.append(("pulse", float(self.rng.randint(55, 95))))
        return tuple(vitals)

    def _vital(self, patient: PatientSummary) -> None:
        key = self.rng.choice(sorted(_VITAL_RANGES))
        low, high, digits = _VITAL_RANGES[key]
        vital = VITAL_BY_KEY[key]
        self.records.clinical.record_observation(
            patient.id, vital.code, utc_now(), value_num=round(self.rng.uniform(low, high), digits),
            unit=vital.unit, display=vital.display, source="manual")

    # -- front desk ---------------------------------------------------------------------
    def _demographics(self, patient: PatientSummary) -> None:
        # The desk opens the patient first (an audited read), then changes one contact.
        current = self.records.patients.get(patient.id).fields
        field = self.rng.choice(("phone", "mobile", "email", "address"))
        changes: dict[str, str | None] = {}
        for _try in range(20):  # a value equal to the current one would write nothing
            changes = self._contact(field, patient)
            if any(current.get(name) != value for name, value in changes.items()):
                break
        else:
            raise _NothingToWrite(field)
        self.records.patients.update_contacts(patient.id, changes)

    def _contact(self, field: str, patient: PatientSummary) -> dict[str, str | None]:
        """A new synthetic value (numbers in ranges no operator assigns, example.com)."""
        rng = self.rng
        if field == "phone":
            return {"phone": f"02 0000 {rng.randint(0, 9999):04d}"}
        if field == "mobile":
            return {"mobile": f"399 {rng.randint(0, 999):03d} {rng.randint(0, 9999):04d}"}
        if field == "email":
            text = f"{patient.given_name}.{patient.surname}".lower()
            local = "".join(c for c in text if c.isascii() and (c.isalnum() or c == "."))
            return {"email": f"{local.strip('.') or 'paziente'}{rng.randint(1, 999)}@example.com"}
        address = pick_address(rng)
        return {"residence_address": address.street, "residence_city": address.city,
                "residence_postcode": address.postcode}

    def _booking(self, patient: PatientSummary) -> None:
        rng = self.rng
        if not self.clinicians:
            raise _NothingToWrite("no clinician")
        own = [c for c in self.clinicians if c.id == patient.gp_id]
        clinician = own[0] if own and rng.random() < 0.7 else rng.choice(self.clinicians)
        types = [v for v in self.visit_types if v.role == clinician.role] if (
            clinician.role == "nurse") else []
        types = types or [v for v in self.visit_types if v.role in (None, clinician.role)]
        if not types:
            raise _NothingToWrite("no visit type")
        visit_type = rng.choice(types)
        wanted = self.today + timedelta(days=rng.randint(1, BOOKING_DAYS))
        # The desk offers the asked day, else the next one with room (within two weeks).
        for later in range(14):
            day = wanted + timedelta(days=later)
            free = [] if day.weekday() >= 5 else self.records.schedules.free_slots(
                clinician.id, day, visit_type.minutes)
            if free:
                break
        else:
            raise _NothingToWrite("no free slot")
        slot = rng.choice(free)
        self.records.agenda.book(clinician.id, patient.id, slot.starts_at, visit_type.minutes,
                                 kind=visit_type.code, note=rng.choice(_DESK_NOTES))


def _by_display(vitals: tuple[tuple[str, float], ...]) -> dict[str, float]:
    """Vitals keyed as the synthetic visit texts expect ("PA sistolica")."""
    return {VITAL_BY_KEY[key].display: value for key, value in vitals}


def run(records: Records, writes: int, seed: int) -> Counter[str]:
    """Make ``writes`` writes; refused ones are replaced, up to 10 attempts per write."""
    simulator = Simulator(records, random.Random(seed))
    done: Counter[str] = Counter()
    attempts = 0
    while done.total() < writes:
        if attempts >= ATTEMPTS_PER_WRITE * writes:
            raise MedireteError(
                "simulate stopped after {attempts} attempts: only {done} of {wanted} writes "
                "were accepted (the log says why the others were refused)",
                attempts=attempts, done=done.total(), wanted=writes)
        attempts += 1
        try:
            done[simulator.write()] += 1
        except REFUSALS as refused:
            log.info("simulate: write refused (%s: %s)", type(refused).__name__, refused.msgid)
        except _NothingToWrite as nothing:
            log.info("simulate: nothing to write (%s)", nothing)
    return done


def summary_line(done: Counter[str], seconds: float) -> str:
    """The one line printed at the end: the writes by kind and how long they took."""
    return _(
        "simulate: {writes} writes (visits {visits}, vitals {vitals}, demographics "
        "{demographics}, bookings {bookings}) in {seconds} s"
    ).format(writes=done.total(), seconds=format_decimal(seconds, 1),
             **{kind: done[kind] for kind in WRITE_KINDS})


def simulate(args: argparse.Namespace) -> int:
    """Write N realistic changes as the user, then print the summary line."""
    password = read_password(_("Password for {user}").format(user=args.user))
    records = Records.open(args.dir, args.user, password)
    try:
        started = time.perf_counter()
        done = run(records, args.writes, args.seed)
        elapsed = time.perf_counter() - started
    finally:
        records.close()
    print(summary_line(done, elapsed))
    return 0


def add_parser(sub: Subparsers, add: AddVerb) -> None:
    """Register ``simulate`` on the admin CLI (``add`` is cli._add)."""
    verb = add(sub, "simulate",
               _("write N realistic changes as a user, through the services "
                 "(synthetic data, for demos and load tests of center sync)"), simulate)
    verb.add_argument("dir", type=Path)
    verb.add_argument("--user", required=True)
    verb.add_argument("--writes", type=_positive, required=True, metavar="N",
                      help=_("how many writes (a positive integer)"))
    verb.add_argument("--seed", type=int, default=0,
                      help=_("the seed that picks patients, kinds and slots (default 0)"))
