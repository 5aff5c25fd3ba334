"""Kind-aware reading: what a document of one kind states without a concern's own words (kinds.yaml `reading:`)."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path

from ketcover.kinds import KINDS_FILE, compile_cue, load_kinds, title_end
from ketcover.model import Document, Finding

# How far a determination's lead-in ("... when ALL of the following criteria are met:") carries to
# the list under it: at most this many passages and characters (a list runs on, a policy does not).
CARRY_PASSAGES = 40
CARRY_CHARS = 6000
SECTION_MAX = 90  # an indication named in a finding's section is cut to this length
LIST_ITEM = re.compile(r"^\s*(?:[•▪◦●■□◼➢✓❖➤\u2013\ue000-\uf8ff-]|o\s|\(?[a-z0-9]{1,3}[.)])\s*(?=\S)")
TIER = re.compile(r"\s+\d{1,2}\s*$")
SENTENCE_FINAL = re.compile(r"[.!?][\"')\]]*\s*$")
# A formulary legend's line: marker codes alone ("PA  PA**  QL"), or a code and a meaning ("ST ^ - Covered
# Under Medical Benefit", "QL - Quantity Limits"), with what a broken font left between them ("ST Ǧ ...^ - Covered").
LEGEND_LINE = re.compile(r'^(?:[A-Z]{1,4}\**\s*)+$|(?:^|\s)[A-Z]{1,4}\**\s*[\^*†“”"]?\s*[-–=]\s*[A-Z][a-z]'
                         r'|^[A-Z]{1,4}\**\s.*[\^*†]?\s[-–=]\s+[A-Z][a-z]')


@dataclass(frozen=True)
class Statement:
    """What a document of one kind states in its own words: a concern's finding without its keywords."""

    concern: str
    rule: str
    answer: str
    pattern: re.Pattern
    examples: tuple[str, ...]
    not_examples: tuple[str, ...]


@dataclass(frozen=True)
class Determination:
    """A policy's verdict on an indication ("is considered investigational for ...") and the
    finding it makes for that indication and for the criteria listed under it."""

    name: str
    label: str
    pattern: re.Pattern
    concern: str
    polarity: str
    answer: str
    # The finding is made only when the indication (or the statement) names one of these
    # conditions: "medically necessary" is mental-health coverage only for a psychiatric indication.
    requires: re.Pattern | None
    examples: tuple[str, ...]
    not_examples: tuple[str, ...]


@dataclass(frozen=True)
class DiagnosisList:
    """Diagnosis codes listed under a lead-in that says they support medical necessity (or do not):
    each run of code lines states coverage (or none) of the conditions the codes name."""

    name: str
    concern: str
    code: re.Pattern  # a line's opening code
    covered: re.Pattern  # the lead-in of codes that support medical necessity
    not_covered: re.Pattern  # the lead-in of codes that do not
    answer: str
    negated_answer: str
    examples: tuple[str, ...]
    not_examples: tuple[str, ...]
    covered_examples: tuple[str, ...]
    not_covered_examples: tuple[str, ...]


@dataclass(frozen=True)
class PsychiatricSubject:
    """The title words that may make a policy's subject psychiatric (confirmed by its own indications)."""

    title: re.Pattern
    examples: tuple[str, ...]
    not_examples: tuple[str, ...]


@dataclass(frozen=True)
class Marker:
    """A formulary marker ("PA", "ST", "QL") and the concern a row carrying it states."""

    code: str
    concern: str
    rule: str
    answer: str
    legend: re.Pattern  # the legend line that explains the marker: the drug list must say what it means
    row: re.Pattern  # the marker as it stands in a drug's row
    legend_examples: tuple[str, ...]
    examples: tuple[str, ...]
    not_examples: tuple[str, ...]


@dataclass(frozen=True)
class Reading:
    """How to read one kind: where its subject (the drug) is named, the statements it makes, the
    determinations it carries to the lists under them, and the markers its rows carry."""

    subject: tuple[re.Pattern, ...]
    statements: tuple[Statement, ...]
    skip_headings: re.Pattern | None
    determinations: tuple[Determination, ...]
    indication: tuple[re.Pattern, ...]
    markers: tuple[Marker, ...]
    hedges: re.Pattern | None  # words before a determination that make it no verdict ("whether ... is")
    psychiatric_subject: PsychiatricSubject | None = None
    diagnosis_lists: tuple[DiagnosisList, ...] = ()


def _vocabulary_cue(pattern: str, vocabulary: dict[str, str]) -> re.Pattern:
    """A kinds.yaml pattern with its {name} placeholders replaced by the file's vocabulary."""
    for name, words in vocabulary.items():
        pattern = pattern.replace("{" + name + "}", f"(?:{words})")
    return compile_cue(pattern)


def _examples(spec: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(spec.get("examples") or ()), tuple(spec.get("not_examples") or ())


@functools.cache
def load_readings(path: Path = KINDS_FILE) -> dict[str, Reading]:
    """The `reading:` section of kinds.yaml, checked; a mistake names the kind and the key."""
    from ketcover.ruleset import RulesetError, _load_yaml

    raw = _load_yaml(path, path.read_bytes())
    labels = load_kinds(path).labels
    vocabulary = {name: words for name, words in (raw.get("vocabulary") or {}).items()}
    readings = {}
    for kind, spec in (raw.get("reading") or {}).items():
        if kind not in labels:
            raise RulesetError(path.name, kind, "reading", "names no kind of this file")
        try:
            statements = tuple(
                Statement(st["concern"], st["rule"], st["answer"], _vocabulary_cue(st["pattern"], vocabulary), *_examples(st))
                for st in spec.get("statements") or ())
            determinations = tuple(
                Determination(d["name"], d["label"], _vocabulary_cue(d["pattern"], vocabulary), d["concern"],
                              d.get("polarity", "affirms"), d["answer"],
                              _vocabulary_cue(d["requires"], vocabulary) if d.get("requires") else None, *_examples(d))
                for d in spec.get("determinations") or ())
            markers = tuple(
                Marker(m["code"], m["concern"], m["rule"], m["answer"], _vocabulary_cue(m["legend"], vocabulary),
                       re.compile(m["row"]), tuple(m.get("legend_examples") or ()), *_examples(m))
                for m in spec.get("markers") or ())
            diagnosis_lists = tuple(
                DiagnosisList(d["name"], d["concern"], _vocabulary_cue(d["code"], vocabulary),
                              _vocabulary_cue(d["covered"], vocabulary), _vocabulary_cue(d["not_covered"], vocabulary),
                              d["answer"], d["negated_answer"], *_examples(d),
                              tuple(d.get("covered_examples") or ()), tuple(d.get("not_covered_examples") or ()))
                for d in spec.get("diagnosis_lists") or ())
            psychiatric = spec.get("psychiatric_subject")
            skip = spec.get("skip_headings")
            hedges = spec.get("hedges")
            readings[kind] = Reading(
                tuple(compile_cue(p) for p in spec.get("subject") or ()), statements,
                _vocabulary_cue(skip, vocabulary) if skip else None, determinations,
                tuple(_vocabulary_cue(p, vocabulary) for p in spec.get("indication") or ()), markers,
                _vocabulary_cue(hedges, vocabulary) if hedges else None,
                PsychiatricSubject(_vocabulary_cue(psychiatric["title"], vocabulary), *_examples(psychiatric))
                if psychiatric else None,
                diagnosis_lists)
        except (KeyError, TypeError) as exc:
            raise RulesetError(path.name, kind, "reading",
                              f"a statement, determination, diagnosis list or marker lacks {exc}") from None
        except re.error as exc:
            raise RulesetError(path.name, kind, "reading", f"holds an invalid pattern ({exc})") from None
    return readings


def document_subject(document: Document, reading: Reading) -> str | None:
    """The drug (or other subject) a criteria document is about, named in its title block."""
    title = document.text[:title_end(document.text, load_kinds().title_lines)]
    for pattern in reading.subject:
        match = pattern.search(title)
        if match:
            return " ".join(match.group(1).split())
    return None


class _Sections:
    """The heading each offset of the document sits under, to skip what a reading must not read
    (a criteria document's references, a policy's clinical evidence)."""

    def __init__(self, document: Document, skip: re.Pattern | None):
        self.offsets = [h.offset for h in document.headings]
        self.skipped = [bool(skip and skip.search(h.title)) for h in document.headings]

    def skipped_at(self, offset: int) -> bool:
        index = bisect.bisect_right(self.offsets, offset) - 1
        return index >= 0 and self.skipped[index]


def _finding(document: Document, concern: str, rule: str, start: int, text: str, section: str | None,
             polarity: str, answer: str) -> Finding:
    page = document.page_of(start)
    ocr = document.page_methods and document.page_methods[page - 1] == "ocr"
    return Finding(concern, rule, page, text, section, polarity, 1.0, "kind+ocr" if ocr else "kind",
                   answer=answer, start=start)


def _short(text: str) -> str:
    text = " ".join(text.split()).strip(" :;,-–")
    return text if len(text) <= SECTION_MAX else text[:SECTION_MAX].rsplit(" ", 1)[0] + " ..."


def _determination_of(reading: Reading, text: str) -> tuple[Determination, str | None] | None:
    """The first determination the passage states (kinds.yaml order), and the indication it names."""
    for determination in reading.determinations:
        match = determination.pattern.search(text)
        if match and reading.hedges is not None and reading.hedges.search(text, 0, match.start()):
            return None  # "whether a service is medically necessary" says what the policy does, not a verdict
        if match:
            # The indication is named in the statement itself, never in the list its lead-in opens.
            colon = text.find(":", match.end())
            for pattern in reading.indication:
                named = pattern.search(text, match.start(), len(text) if colon == -1 else colon)
                if named and (named.group("indication") or "").strip():
                    return determination, _short(named.group("indication"))
            return determination, None
    return None


def _continues_list(text: str, start: int, previous_end: int, passage_text: str) -> bool:
    """True when a passage still belongs to the list a lead-in opened: an item, a sentence on an
    item's line, or a line without a full stop (an indication named alone)."""
    if LIST_ITEM.match(passage_text):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        return True  # the passage starts mid-line: the rest of the item before it
    between = text[previous_end:start]
    if "\n\n" in between:
        return False
    return not SENTENCE_FINAL.search(passage_text)


def _read_determinations(document: Document, reading: Reading, passages, sections: _Sections, headings: set[int]):
    """Each determination stated in the policy, carried to the list its lead-in opens: yields
    (passage index, determination, indication, whether it makes a finding) for the statement and
    every passage under it."""
    index = 0
    while index < len(passages):
        passage = passages[index]
        text = document.text[passage.start:passage.end]
        found = None if sections.skipped_at(passage.start) else _determination_of(reading, text)
        if found is None:
            index += 1
            continue
        determination, indication = found
        # "Medically necessary" states mental-health coverage only when the statement itself names a
        # psychiatric indication: a list of risk factors under a genetic test's criteria ("Autism")
        # does not make the test a mental-health benefit.
        eligible = determination.requires is None or bool(determination.requires.search(text))
        yield index, determination, indication, eligible
        lead = index
        index += 1
        if not text.rstrip().endswith(":"):
            continue
        # A lead-in: the criteria (or the indications) listed under it share its determination.
        previous_end = passage.end
        while (index < len(passages) and index - lead <= CARRY_PASSAGES
               and passages[index].start - passage.end < CARRY_CHARS):
            item = passages[index]
            item_text = document.text[item.start:item.end]
            if (item.start in headings and not item_text.rstrip().endswith(":")) or _determination_of(reading, item_text):
                break
            if not _continues_list(document.text, item.start, previous_end, item_text):
                break
            yield index, determination, indication or _short(item_text.split("\n")[0].lstrip("•-–o ").strip()), eligible
            previous_end = item.end
            index += 1


def read_by_kind(document: Document, kind: str, findings: list[Finding], passages) -> list[Finding]:
    """The findings plus what the kind's reading finds in the passages, each naming the drug or
    indication it belongs to; a passage already cited for the same concern is not cited twice."""
    reading = load_readings().get(kind)
    if reading is None:
        return findings
    sections = _Sections(document, reading.skip_headings)
    subject = document_subject(document, reading)
    concerns = {statement.concern for statement in reading.statements}
    cited = {(f.concern, f.start) for f in findings}
    added = []
    for passage in passages:
        if sections.skipped_at(passage.start):
            continue
        text = document.text[passage.start:passage.end]
        for statement in reading.statements:
            if (statement.concern, passage.start) in cited or not statement.pattern.search(text):
                continue
            cited.add((statement.concern, passage.start))
            added.append(_finding(document, statement.concern, statement.rule, passage.start, text, subject,
                                  "affirms", statement.answer))
    diagnoses = read_diagnosis_lists(document, reading, cited)
    added += diagnoses
    named: dict[int, str] = {}  # passage start -> the indication and determination it falls under
    if reading.determinations:
        headings = {h.offset for h in document.headings}
        read = list(_read_determinations(document, reading, passages, sections, headings))
        # The policy's own psychiatric indications: a covered diagnosis list, or a coverage determination
        # whose statement names a psychiatric condition.
        indicated = (any(f.polarity == "affirms" for f in diagnoses)
                     or any(eligible and d.requires is not None and d.polarity == "affirms" for _i, d, _n, eligible in read))
        psychiatric = indicated and psychiatric_subject(document, reading)
        for index, determination, indication, eligible in read:
            passage = passages[index]
            text = document.text[passage.start:passage.end]
            section = f"{indication}: {determination.label}" if indication else determination.label
            named[passage.start] = section
            # A determination in a policy about a psychiatric service states mental-health coverage
            # though its sentence names no condition ("Maintenance therapy is not covered.").
            eligible = eligible or (psychiatric and determination.requires is not None)
            if not eligible or (determination.concern, passage.start) in cited:
                continue
            cited.add((determination.concern, passage.start))
            added.append(_finding(document, determination.concern, f"{determination.concern}.policy_{determination.name}",
                                  passage.start, text, section, determination.polarity, determination.answer))
    if reading.markers:
        added += read_marked_rows(document, reading, cited)
    if subject:
        # Every criteria finding belongs to the drug the document is about.
        findings = [f if f.concern not in concerns or (f.section or "").startswith(subject)
                    else replace(f, section=f"{subject}: {f.section}" if f.section else subject) for f in findings]
    if named:
        # A criterion under a determination belongs to its indication ("... for TRD: medically necessary").
        findings = [replace(f, section=named[f.start]) if f.start in named else f for f in findings]
    return sorted([*findings, *added], key=lambda f: f.sort_key)


def psychiatric_subject(document: Document, reading: Reading) -> bool:
    """True when the document's title names a psychiatric or substance-use condition or service: a
    heading line of its title block (the block's prose, a first criterion naming "autism" among
    a genetic test's risk factors, is not its title)."""
    if reading.psychiatric_subject is None:
        return False
    end = title_end(document.text, load_kinds().title_lines)
    title = "\n".join(h.title for h in document.headings if h.offset < end)
    return bool(reading.psychiatric_subject.title.search(title))


def _text_lines(text: str):
    """Each line of `text` as (start, end, stripped): the offsets of its first character and past its
    last that are not blank, and the line without its blanks (a blank line: "")."""
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        start = offset + len(line) - len(line.lstrip())
        yield start, start + len(stripped), stripped
        offset += len(line) + 1


def _last(pattern: re.Pattern, text: str, start: int, end: int) -> re.Match | None:
    match = None
    for match in pattern.finditer(text, start, end):
        pass
    return match


def read_diagnosis_lists(document: Document, reading: Reading, cited: set[tuple[str, int]]) -> list[Finding]:
    """Each run of diagnosis-code lines (on one page) under the nearest lead-in above it that says
    whether the codes support medical necessity: a finding quoting the run, named by that lead-in.
    Codes under no such lead-in (a coding guide's examples, a code table "for reference only") state
    nothing."""
    added = []
    for spec in reading.diagnosis_lists:
        runs: list[tuple[int, int]] = []  # (start, end) of consecutive code lines on one page
        for start, end, line in _text_lines(document.text):
            if not spec.code.search(line):
                continue
            if runs and document.text[runs[-1][1]:start].strip() == "" and document.page_of(runs[-1][0]) == document.page_of(start):
                runs[-1] = (runs[-1][0], end)
            else:
                runs.append((start, end))
        for start, end in runs:
            if (spec.concern, start) in cited:
                continue
            floor = max(0, start - CARRY_CHARS)
            covered = _last(spec.covered, document.text, floor, start)
            refused = _last(spec.not_covered, document.text, floor, start)
            lead = max((m for m in (covered, refused) if m), key=lambda m: (m.end(), m is refused), default=None)
            if lead is None:
                continue
            line = document.text[document.text.rfind("\n", 0, lead.start()) + 1:lead.end()]
            polarity = "negates" if lead is refused else "affirms"
            cited.add((spec.concern, start))
            added.append(_finding(document, spec.concern, f"{spec.concern}.policy_{spec.name}", start,
                                  document.text[start:end], _short(line), polarity,
                                  spec.negated_answer if lead is refused else spec.answer))
    return added


def read_marked_rows(document: Document, reading: Reading, cited: set[tuple[str, int]]) -> list[Finding]:
    """Each row of a formulary carrying a marker its legend explains ("PA", "ST"): a finding quoting
    the row as the page prints it, named by the drug before the marker, or, where the text runs
    column by column and the marker opens its own cell, by the drug class heading above it. A
    marker no legend of the document explains is not read (two letters alone could be anything)."""
    explained = [m for m in reading.markers if m.legend.search(document.text)]
    if not explained:
        return []
    # Drug classes are strong headings ("ANTIDEPRESSANTS"); a column header ("Requirements /Limits") is weak.
    headings = [(h.offset, h.title) for h in document.headings if h.level >= 2]
    offsets = [offset for offset, _title in headings]
    added = []
    for start, _end, row in _text_lines(document.text):
        if not row or any(m.legend.search(row) for m in explained) or LEGEND_LINE.search(row):
            continue  # a legend line (or its codes alone, "PA  PA**  QL") explains markers; it is no drug's row
        for marker in explained:
            match = marker.row.search(row)
            if not match or (marker.concern, start) in cited:
                continue
            drug = _short(TIER.sub("", row[:match.start()]))  # the row's drug, without its tier number
            if not re.search(r"[A-Za-z]{3}", drug):
                # A cell of its own: the drug class it is listed under (the last class heading above the
                # row, never the row itself; a class runs on across a page break).
                index = bisect.bisect_left(offsets, start) - 1
                while index >= 0 and (not re.search(r"[A-Za-z]{3}", headings[index][1]) or re.search(r"\d", headings[index][1])):
                    # A class has no strength: "240 mg", "ST; PA**" or a brand row in capitals
                    # ("BETASERON INJ 0.3MG") taken for a heading names no class, and may be another drug.
                    index -= 1
                drug = _short(headings[index][1]) if index >= 0 else None
            cited.add((marker.concern, start))
            section = f"{drug} ({marker.code})" if drug else marker.code
            added.append(_finding(document, marker.concern, marker.rule, start, row, section, "affirms", marker.answer))
            break  # one marker per row: "PA**" is not also "PA"
    return added
