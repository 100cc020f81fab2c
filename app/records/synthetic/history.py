"""A patient's clinical history: problems, exemptions, therapies, then visits, labs,
renewals, referrals and acute illnesses in clinical-time order."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.records.synthetic import soap
from app.records.synthetic.catalog import ACUTE_EPISODES, AcuteEpisode
from app.records.synthetic.chart import ChartBuilder
from app.records.synthetic.coding import ESENZIONI, Coded, code_conditions
from app.records.synthetic.conditions import (
    CONDITION_BY_KEY,
    MIN_ONSET_AGE,
    Condition,
    pick_conditions,
)
from app.records.synthetic.drugs import ALTERNATIVES, FOLIC_ACID
from app.records.synthetic.labs import LabBench
from app.records.synthetic.regimens import PatientContext, plan_therapies
from app.records.synthetic.timeline import (
    DERIVED,
    FULL,
    HEAVY,
    LIGHT,
    ROUTINE_LABS,
    YEARLY_LABS,
    HistoryProfile,
    PatientFacts,
    Script,
    Therapy,
    Written,
    lab_time,
    pick_onset,
    visit_time,
    weekday_on_or_before,
)
from app.records.synthetic.trends import Trend, patient_trends

NSAIDS = frozenset({"M01AE", "M01AB"})
# Hypertension codes naming organ damage -> the conditions that are the damage.
DAMAGE = {"402": ("heart_failure",), "403": ("ckd",), "404": ("ckd", "heart_failure")}

__all__ = ["DERIVED", "FULL", "HEAVY", "LIGHT", "MIN_ONSET_AGE", "YEARLY_LABS", "HistoryProfile",
           "HistoryWriter", "PatientFacts", "Script", "Written", "lab_time", "pick_conditions",
           "pick_onset", "visit_time", "weekday_on_or_before"]


FIRST, DIAGNOSIS, FOLLOW_UP, LABS, ACUTE, CHECK, RENEW, PREGNANCY = range(8)
Event = tuple[date, int, str]  # day, kind, the condition (diagnoses only)


class HistoryWriter:
    """Writes one patient's history into a ChartBuilder, in chronological order."""

    def __init__(self, chart: ChartBuilder, facts: PatientFacts, conditions: list[Condition],
                 profile: HistoryProfile, nurse_ids: list[str], *,
                 allergy_classes: frozenset[str] = frozenset(), income: str | None = None,
                 script: Script | None = None) -> None:
        self.chart = chart
        self.rng = chart.rng
        self.facts = facts
        self.conditions = conditions
        self.keys = [c.key for c in conditions]
        self.managed = [c.key for c in conditions if c.managed]
        self.profile = profile
        self.nurse_ids = nurse_ids
        self.allergy_classes = allergy_classes
        # Classes an acute illness must not bring: the allergies, and NSAIDs with kidney or
        # heart failure, an anticoagulant, or old age.
        frail = bool(set(self.keys) & {"ckd", "heart_failure", "atrial_fibrillation"}) or \
            facts.age_on(facts.as_of) >= 75
        self.avoid_acute = allergy_classes | (NSAIDS if frail else frozenset())
        self.income = income
        self.script = script
        self.window_start = facts.as_of - timedelta(days=profile.window_days)
        # Before registration the patient was somebody else's (or a paediatrician's).
        self.care_start = max(self.window_start, facts.registered or self.window_start)
        # Chronic kidney disease: the eGFR at diagnosis and its yearly decline; the stage,
        # the exemption and the drugs follow the eGFR of today.
        renal = self._ckd_course() if "ckd" in self.keys else None
        self.ckd_egfr = None
        if renal:
            years = (facts.as_of - facts.onsets["ckd"]).days / 365.25
            self.ckd_egfr = renal[0] - renal[1] * years
        self.trends: dict[str, Trend] = patient_trends(
            self.rng, facts.female, facts.onsets, self.window_start, ckd_egfr=renal,
            age=facts.age_on(facts.as_of))
        self.out = Written()
        self.labs = LabBench(chart, facts, profile, self.trends, self.out, script=script,
                             income=income)
        self.last_renewal = date.min
        self.height_done = not profile.height

    # -- problems, exemptions, therapies -----------------------------------------------------

    def _ckd_course(self) -> tuple[float, float]:
        script, rng = self.script, self.rng
        if script and script.ckd_egfr is not None:
            return script.ckd_egfr, script.egfr_decline or 0.0
        roll = rng.random()
        band = ((62, 75) if roll < 0.1 else (45, 58) if roll < 0.6 else (33, 44) if roll < 0.9
                else (22, 29))
        start = rng.uniform(*band)
        years = max((self.facts.as_of - self.facts.onsets["ckd"]).days / 365.25, 0.1)
        # Slowly, and not past stage IV: the generator has no dialysis.
        return start, min(rng.uniform(0.4, 1.8), max(0.0, (start - 16) / years))

    def write(self) -> Written:
        """Problems, exemptions and therapies, then every event of the window in order."""
        age = self.facts.age_on(self.facts.as_of)
        self.out.coded = list(self.script.coded) if self.script else code_conditions(
            self.keys, self.rng, age=age, female=self.facts.female, ckd_egfr=self.ckd_egfr)
        for coded in self.out.coded:
            self._problem(coded)
        self._therapies(age)
        handlers = {FIRST: self._first_visit, FOLLOW_UP: self._follow_up, LABS: self._labs,
                    ACUTE: self._acute, CHECK: self._check, RENEW: self._renew_event,
                    PREGNANCY: self._pregnancy}
        for day, kind, key in sorted(self._events()):
            if kind == DIAGNOSIS:
                self._diagnosis(day, key)
            else:
                handlers[kind](day)
        return self.out

    def _problem(self, coded: Coded) -> None:
        onset = self.facts.onsets[coded.key]
        if coded.key in self.out.problem_ids:  # a second problem: later in the illness
            onset = max(onset, min(onset + timedelta(days=self.rng.randint(365, 2500)),
                                   self.facts.as_of - timedelta(days=30)))
        row = self.chart.problem(coded.icd9, coded.description, onset, qualifier=coded.qualifier,
                                 status="chronic", recorded_on=self.facts.registered)
        self.out.problem_ids.setdefault(coded.key, []).append(row["lineage_id"])
        if coded.esenzione and self.rng.random() < coded.apply_share:
            # An exemption for organ damage dates from the damage (kidney, heart).
            damage = [self.facts.onsets[k] for k in DAMAGE.get(coded.icd9[:3], ())
                      if k in self.facts.onsets]
            valid_from = max([onset, *damage]) + timedelta(days=self.rng.randint(20, 120))
            codes = set(self.out.esenzioni.values())
            if valid_from < self.facts.as_of and coded.esenzione not in codes:
                self.chart.esenzione(coded.esenzione, ESENZIONI[coded.esenzione].description,
                                     valid_from)
                self.out.esenzioni[coded.key] = coded.esenzione

    def _therapies(self, age: float) -> None:
        facts = self.facts
        if self.script:
            plans = list(self.script.therapies)
        else:
            context = PatientContext(
                set(self.keys), age, facts.female, self.allergy_classes, self.ckd_egfr,
                {c.key: c.qualifier for c in self.out.coded},
                {k: (facts.as_of - facts.onsets[k]).days / 365.25 for k in self.keys})
            plans = plan_therapies(self.rng, self.keys, context)
        for plan in plans:
            start = facts.onsets[plan.key] + timedelta(days=plan.start_after)
            if start >= facts.as_of:
                continue
            end = None
            if plan.stop_after is not None:
                end = start + timedelta(days=plan.stop_after)
                end = end if end < facts.as_of else None
            problem_id = self.out.problem_ids.get(plan.key, [None])[0]
            row = self.chart.medication(plan.drug, start, chronic=True, end=end,
                                        problem_id=problem_id,
                                        stop_reason=plan.stop_reason if end else None,
                                        recorded_on=facts.registered)
            self.out.therapies.append(Therapy(
                plan.drug, plan.key, start, end, row["lineage_id"], problem_id,
                self.out.esenzioni.get(plan.key, self.income)))

    # -- the calendar --------------------------------------------------------------------------

    def _spaced(self, start: date, spacing: tuple[int, int]) -> list[date]:
        rng, low, span = self.rng, spacing[0], spacing[1] - spacing[0] + 1
        day = max(self.care_start, start) + timedelta(days=1 + int(rng.random() * spacing[1]))
        days = []
        while day < self.facts.as_of:
            days.append(day)
            day += timedelta(days=low + int(rng.random() * span))
        return days

    def _events(self) -> list[Event]:
        rng, facts, profile = self.rng, self.facts, self.profile
        events: list[tuple[date, int]] = []
        registered = facts.registered or self.window_start
        if self.window_start <= registered < facts.as_of and profile.window_days > 365:
            events.append((registered, FIRST))
        if self.managed:
            first = min(facts.onsets[k] for k in self.managed)
            events += [(d, FOLLOW_UP) for d in self._spaced(first, profile.visit_days)]
        else:
            age = facts.age_on(facts.as_of)
            spacing = (300, 500) if age >= 65 else (420, 900) if age >= 40 else (600, 1400)
            events += [(d, CHECK) for d in self._spaced(registered, spacing)]
        labbed = [c for c in self.conditions if c.managed and c.labs]
        if labbed:
            spacing_days = profile.lab_days or min(c.lab_months for c in labbed) * 30
            first = min(facts.onsets[c.key] for c in labbed)
            events += [(d, LABS) for d in self._spaced(first, (spacing_days - 10,
                                                               spacing_days + 10))]
        if profile.renew_every and any(t.end is None for t in self.out.therapies):
            events += [(d, RENEW) for d in self._spaced(self.care_start, profile.renew_every)]
        span = (facts.as_of - self.care_start).days
        for _ in range(self._poisson(profile.acute_per_year * span / 365.25)):
            events.append((self.care_start + timedelta(days=rng.randint(1, max(span, 1))), ACUTE))
        pregnancy = self._pregnancy_day()
        if pregnancy:
            events.append((pregnancy, PREGNANCY))
        if self.script and self.script.last_labs:
            last = self.script.last_labs[0]
            events = [e for e in events if e[1] != LABS or e[0] < last - timedelta(days=60)]
            events.append((last, LABS))
        # A diagnosis made while the patient was ours was made at a visit.
        found = [(facts.onsets[k], DIAGNOSIS, k) for k in self.keys
                 if self.care_start <= facts.onsets[k] < facts.as_of]
        return found + [(d, kind, "") for d, kind in events if d >= self.care_start]

    def _poisson(self, mean: float) -> int:
        count, total = 0, self.rng.expovariate(1.0) if mean > 0 else float("inf")
        while total < mean:
            count += 1
            total += self.rng.expovariate(1.0)
        return count

    def _pregnancy_day(self) -> date | None:
        facts = self.facts
        if not facts.female or self.profile.window_days < 1000 or self.rng.random() >= 0.3:
            return None
        span = (facts.as_of - self.care_start).days
        day = self.care_start + timedelta(days=self.rng.randint(0, max(span, 0)))
        return day if 20 <= facts.age_on(day) <= 42 and day < facts.as_of else None

    # -- what happens at each event ------------------------------------------------------------

    def _active(self, day: date, keys: list[str]) -> list[str]:
        return [k for k in keys if self.facts.onsets[k] <= day]

    def _problems_of(self, keys: list[str]) -> list[str]:
        return [pid for k in keys for pid in self.out.problem_ids.get(k, [])]

    def _vitals(self, day: date, keys: list[str]) -> dict[str, float]:
        wanted = {"PA sistolica", "PA diastolica"}
        present = set(keys)
        if self.profile.all_vitals:
            wanted |= {"Frequenza cardiaca", "Peso", "SpO2"}
        else:
            if present & {"diabetes", "heart_failure", "obesity"} or self.rng.random() < 0.4:
                wanted.add("Peso")
            if present & {"heart_failure", "atrial_fibrillation", "ihd"}:
                wanted.add("Frequenza cardiaca")
            if present & {"copd", "heart_failure"}:
                wanted.add("SpO2")
        if not self.height_done:
            wanted |= {"Altezza", "Peso"}
            self.height_done = True
        values = {k: self.trends[k].value(self.rng, day) for k in sorted(wanted)}
        if self.profile.all_vitals:
            values["Glicemia"] = 28.7 * self.trends["HbA1c"].value(self.rng, day) - 46.7
        values["PA diastolica"] = min(values["PA diastolica"], values["PA sistolica"] - 25)
        return values

    def _record(self, values: dict[str, float], at: datetime, encounter_id: str,
                author: str | None) -> None:
        for key, value in values.items():
            self.chart.observation(key, value, at, encounter_id=encounter_id, author_id=author)

    def _first_visit(self, day: date) -> None:
        at = visit_time(self.rng, day)
        keys = self._active(day, self.keys)
        values = self._vitals(at.date(), keys)
        known = "; ".join(c.description for c in self.out.coded if c.key in keys)
        encounter = self.chart.encounter(
            at, "Nuovo assistito: raccolta l'anamnesi personale e familiare.",
            soap.objective(values, keys), known + "." if known else
            "Nessuna patologia cronica di rilievo.",
            "Consigli sullo stile di vita; programmati i controlli periodici.",
            problem_ids=self._problems_of(keys))
        self._record(values, at, encounter["id"], None)

    def _diagnosis(self, day: date, key: str) -> None:
        at = visit_time(self.rng, day)
        values = self._vitals(at.date(), [key])
        started = [t.drug.name for t in self.out.therapies
                   if t.key == key and (t.start - day).days <= 60]
        problems = [c.description for c in self.out.coded if c.key == key]
        encounter = self.chart.encounter(
            at, soap.DIAGNOSIS_SUBJECTIVE.get(key, soap.DIAGNOSIS_DEFAULT),
            soap.objective(values, [key]), "; ".join(problems) + ". Nuova diagnosi.",
            soap.diagnosis_plan(started), problem_ids=self.out.problem_ids.get(key, []))
        self._record(values, at, encounter["id"], None)

    def _follow_up(self, day: date) -> None:
        rng = self.rng
        keys = self._active(day, self.managed) or self.managed
        minor = [k for k in self._active(day, self.keys) if k not in self.managed]
        at = visit_time(rng, day)
        nurse = rng.choice(self.nurse_ids) if self.nurse_ids and rng.random() < 0.25 else None
        if not nurse and rng.random() < 0.08:  # a telephone contact: no vitals
            renewed = self._renew_if_due(at)
            self.chart.encounter(at, "Contatto telefonico. " + soap.subjective(rng, keys), "",
                                 soap.assessment(keys, {}, self.labs.last_values),
                                 soap.plan(rng, [], [], renewed), kind="phone",
                                 problem_ids=self._problems_of(keys))
            return
        values = self._vitals(at.date(), keys + minor)
        if nurse:
            encounter = self.chart.encounter(
                at, soap.subjective(rng, keys), soap.vitals_text(values), "",
                rng.choice(soap.NURSING_PLANS), kind="nursing",
                problem_ids=self._problems_of(keys), author_id=nurse)
            self._record(values, at, encounter["id"], nurse)
            return
        renewed = self._renew_if_due(at)
        referred = self.labs.refer(at, keys)
        old = self.facts.age_on(day) >= 85 and rng.random() < 0.3
        encounter = self.chart.encounter(
            at, soap.subjective(rng, keys + minor), soap.objective(values, keys),
            soap.assessment(keys, values, self.labs.last_values),
            soap.plan(rng, [], referred, renewed), kind="home" if old else "ambulatory",
            problem_ids=self._problems_of(keys + minor))
        self._record(values, at, encounter["id"], None)

    def _check(self, day: date) -> None:
        rng = self.rng
        at = visit_time(rng, day)
        keys = self._active(day, self.keys)
        values = self._vitals(at.date(), keys)
        renewed = self._renew_if_due(at)
        age = self.facts.age_on(day)
        wanted = [k for c in self.conditions if c.key in keys for k in c.labs
                  if self.labs.due(k, day, c.lab_months)]
        if age >= 40 and rng.random() < 0.35:  # a routine panel every four or five years
            wanted += [k for k in ROUTINE_LABS if k not in wanted]
        wanted = list(dict.fromkeys(wanted))
        lab_day = day + timedelta(days=rng.randint(7, 14))
        ordered = self.labs.order(at, lab_day, wanted, keys)
        state = "; ".join(f"{CONDITION_BY_KEY[k].label}: quadro stabile" for k in keys)
        encounter = self.chart.encounter(
            at, rng.choice(soap.CHECK_UP_SUBJECTIVE) if not keys else soap.subjective(rng, keys),
            soap.objective(values, []), "Buone condizioni generali." + (f" {state}." if state
                                                                         else ""),
            soap.plan(rng, ordered, [], renewed,
                      on_therapy=any(t.current_on(day) for t in self.out.therapies)),
            problem_ids=self._problems_of(keys))
        self._record(values, at, encounter["id"], None)
        if wanted:
            self.labs.draw(lab_day, wanted)

    # -- labs -----------------------------------------------------------------------------

    def _labs(self, day: date) -> None:
        wanted: list[str] = []
        keys = self._active(day, self.managed) or self.managed
        for condition in self.conditions:
            if not condition.managed or condition.key not in keys:
                continue
            for kind in condition.labs:
                months = 12 if kind in YEARLY_LABS else condition.lab_months
                if self.profile.lab_days and kind != "FEV1":
                    months = 0  # heavy charts: the whole panel every time
                if kind not in wanted and self.labs.due(kind, day, months):
                    wanted.append(kind)
        forced = self.script.forced_on(day) if self.script else {}
        wanted += [k for k in forced if k not in wanted]
        if "eGFR" in wanted and "Creatinina" not in wanted:
            wanted.append("Creatinina")
        if not wanted:
            return
        ordered_on = max(day - timedelta(days=self.rng.randint(5, 20)), self.care_start)
        self.labs.order(visit_time(self.rng, ordered_on), day, wanted, keys)
        self.labs.draw(day, wanted)

    # -- prescriptions -------------------------------------------------------------------------

    def _renew_if_due(self, at: datetime) -> bool:
        if (at.date() - self.last_renewal).days < self.profile.renew_days:
            return False
        return self._renew(at)

    def _renew_event(self, day: date) -> None:
        self._renew_if_due(visit_time(self.rng, day))

    def _renew(self, at: datetime) -> bool:
        day = at.date()
        current = [t for t in self.out.therapies if t.current_on(day)]
        for therapy in current:
            self.chart.prescription(therapy.drug, at, therapy.esenzione,
                                    problem_id=therapy.problem_id, medication_id=therapy.lineage)
        if current:
            self.last_renewal = day
        return bool(current)

    # -- acute illness and pregnancy -----------------------------------------------------------

    def _acute(self, day: date) -> None:
        rng = self.rng
        sex = "F" if self.facts.female else "M"
        episode: AcuteEpisode = rng.choice([e for e in ACUTE_EPISODES if e.sex in (None, sex)])
        at = visit_time(rng, day)
        values: dict[str, float] = {}
        if episode.fever:
            values["Temperatura"] = episode.fever + rng.uniform(-0.3, 0.3)
        if episode.respiratory:
            values["SpO2"] = rng.uniform(95, 99)
        drug = episode.drug
        if drug and drug.atc_class in self.avoid_acute:
            drug = ALTERNATIVES.get(drug.atc_class)
        plan = "Rivalutazione se persistenza o peggioramento dei sintomi."
        if drug:
            plan = f"{drug.name}: {drug.dosage}, {drug.frequency}. {plan}"
        recent = (self.facts.as_of - at.date()).days < 14
        problem = self.chart.problem(
            episode.icd9, episode.description, at.date(), status="active",
            resolved_on=None if recent else at.date() + timedelta(days=rng.randint(5, 20)))
        objective = episode.objective
        if values:
            objective += " " + ", ".join(
                f"TC {v:.1f} °C".replace(".", ",") if k == "Temperatura" else f"SpO2 {v:.0f}%"
                for k, v in values.items()) + "."
        encounter = self.chart.encounter(at, episode.subjective, objective, episode.description,
                                         plan, problem_ids=[problem["lineage_id"]])
        self._record(values, at, encounter["id"], None)
        if drug:
            end = at.date() + timedelta(days=7)
            medication = self.chart.medication(drug, at.date(), chronic=False, end=end,
                                               problem_id=problem["lineage_id"])
            self.chart.prescription(drug, at, self.income, quantity=1,
                                    problem_id=problem["lineage_id"],
                                    medication_id=medication["lineage_id"])

    def _pregnancy(self, day: date) -> None:
        rng = self.rng
        at = visit_time(rng, day)
        first = rng.random() < 0.5
        delivered = day + timedelta(days=rng.randint(255, 285))
        problem = self.chart.problem(
            "V22.0" if first else "V22.1",
            "Controllo di prima gravidanza normale" if first else
            "Controllo di altra gravidanza normale", day, status="active",
            resolved_on=delivered if delivered < self.facts.as_of else None)
        values = self._vitals(at.date(), [])
        encounter = self.chart.encounter(
            at, "Test di gravidanza positivo, amenorrea da 7 settimane. Nausea mattutina.",
            soap.vitals_text(values), "Gravidanza iniziale in buona salute.",
            "Acido folico; impegnativa per gli esami del primo trimestre; indirizzata al "
            "consultorio per il percorso nascita.", problem_ids=[problem["lineage_id"]])
        self._record(values, at, encounter["id"], None)
        self.chart.medication(FOLIC_ACID, day, chronic=False,
                              end=min(day + timedelta(days=90), self.facts.as_of),
                              problem_id=problem["lineage_id"])
