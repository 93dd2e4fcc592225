"""Tests of the knowledge package: loader, repository queries, data content and CLI.

Every database test gets a fresh database (fixtures in conftest.py), once on SQLite
(temp file) and once on PostgreSQL (a uniquely named database on the local server,
dropped afterwards). PostgreSQL being unreachable is a failure.
"""

import dataclasses
import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from knowledge import repository
from knowledge.__main__ import main as cli_main
from knowledge.db import default_database_url, make_engine, make_session_factory
from knowledge.loader import DataFileError, load_data_dir, load_into_database
from knowledge.models import Base

REPO_ROOT = Path(__file__).resolve().parents[1]
ARCHITECTURE = REPO_ROOT / "docs" / "architecture.md"
SEED = "scio-2021-09-24"
REVIEWED = dt.date(2026, 11, 29)

# (indicator, value, qualifier) of every figure in the seed press conference.
PRESS_CONFERENCE_FIGURES = [
    ("defence_pilot_counties", 2300, "more than"),
    ("defence_pilot_county_share", 80, "more than"),
    ("criminal_defence_rate", 66, "exactly"),
    ("defence_pilot_start_year", 2017, "exactly"),
    ("public_legal_service_entities", 566_000, "more than"),
    ("network_launch_year", 2018, "exactly"),
    ("network_visits", 1.4e9, "exactly"),
    ("network_registered_users", 11e6, "more than"),
    ("network_consultations", 39e6, "more than"),
    ("network_online_services", 7.9e6, "more than"),
    ("network_satisfaction", 95, "exactly"),
    ("hotline_calls", 12e6, "expected to exceed"),
    ("legal_aid_cases", 12.89e6, "more than"),
    ("legal_aid_consultations", 65.4e6, "exactly"),
    ("legal_aid_recipients", 13.76e6, "exactly"),
    ("legal_aid_cases_by_lawyers", 940_000, "more than"),
    ("arbitration_cases", 2.3e6, "more than"),
    ("notarizations_per_year", 12e6, "about"),
    ("judicial_appraisals_per_year", 2e6, "more than"),
    ("lawyers", 540_000, "more than"),
    ("lawyer_matters_per_year", 11e6, "more than"),
    ("lawyer_counsel_organisations", 779_000, "more than"),
    ("lawyer_litigation_cases", 6.61e6, "about"),
    ("lawyer_non_litigation_matters", 4.01e6, "about"),
    ("lawyer_public_welfare_services", 1.1e6, "more than"),
    ("villages_with_legal_advisers", 640_000, "more than"),
    ("village_adviser_monthly_duty", 4, "at least"),
    ("lawyer_mediation_studios", 8800, "more than"),
    ("lawyer_mediators", 55_000, "more than"),
    ("lawyer_mediation_cases", 300_000, "more than"),
    ("tibet_lawyers_sent", 200, "more than"),
]

# (topic, question, best indicator or None)
QUESTIONS = [
    ("criminal_defence", "What is the criminal defense rate?", "criminal_defence_rate"),
    ("criminal_defence", "What's the defence rate in criminal cases?", "criminal_defence_rate"),
    ("criminal_defence", "How many counties are in the pilot?", "defence_pilot_counties"),
    ("criminal_defence", "What percentage of counties take part?", "defence_pilot_county_share"),
    ("criminal_defence", "When did the pilots start?", "defence_pilot_start_year"),
    ("criminal_defence", "How often do defendants get a duty lawyer at trial?", "trial_defence_help_rate"),
    ("service_entities", "How many public legal service centres are there?", "public_legal_service_entities"),
    ("service_entities", "How many physical platforms exist?", "physical_service_platforms"),
    ("legal_service_network", "How many visits has 12348.gov.cn had?", "network_visits"),
    ("legal_service_network", "How many times was the site visited?", "network_visits"),
    ("legal_service_network", "How many registered users does it have?", "network_registered_users"),
    ("legal_service_network", "What is the user satisfaction rate?", "network_satisfaction"),
    ("legal_service_network", "How many online services were handled?", "network_online_services"),
    ("legal_service_network", "How many legal consultations online?", "network_consultations"),
    ("legal_service_network", "When was the network launched?", "network_launch_year"),
    ("hotline_calls", "How many calls did 12348 answer in 2020?", "hotline_calls"),
    ("hotline_calls", "How many operators does the hotline have?", "hotline_seats"),
    ("legal_aid", "How many legal aid cases did lawyers handle in 2020?", "legal_aid_cases_by_lawyers"),
    ("legal_aid", "How many migrant workers got legal aid?", "legal_aid_migrant_workers"),
    ("legal_aid", "How many people have received legal aid?", "legal_aid_recipients"),
    ("legal_aid", "How many legal aid consultations were there?", "legal_aid_consultations"),
    ("legal_aid", "How many legal aid cases since 2013?", "legal_aid_cases"),
    ("arbitration", "How many arbitration commissions are there?", "arbitration_commissions"),
    ("arbitration", "How many arbitrators?", "arbitrators"),
    ("arbitration", "How many arbitration cases have been handled?", "arbitration_cases"),
    ("notarization", "How many notarisations are done each year?", "notarizations_per_year"),
    ("notarization", "How many notarizations per year?", "notarizations_per_year"),
    ("notarization", "How many notaries are there?", "notaries"),
    ("notarization", "How many notary offices are there?", "notary_offices"),
    ("judicial_appraisal", "How many forensic experts are registered?", "judicial_appraisers"),
    ("judicial_appraisal", "How many appraisal institutions exist?", "judicial_appraisal_institutions"),
    ("judicial_appraisal", "How many judicial appraisals a year?", "judicial_appraisals_per_year"),
    ("lawyers", "How many lawyers are there in China?", "lawyers"),
    ("lawyers", "How many attorneys practise in China?", "lawyers"),
    ("lawyers", "How many law firms are there?", "law_firms"),
    ("lawyers", "How many cases do lawyers handle each year?", "lawyer_matters_per_year"),
    ("lawyers", "How many companies have a lawyer as legal counsel?", "lawyer_counsel_organisations"),
    ("lawyer_work", "How many non-litigation matters did lawyers handle?", "lawyer_non_litigation_matters"),
    ("lawyer_work", "How many lawsuits did lawyers take on?", "lawyer_litigation_cases"),
    ("lawyer_work", "How much pro bono work do lawyers do?", "lawyer_public_welfare_services"),
    ("village_advisers", "How often does the village legal adviser come?", "village_adviser_monthly_duty"),
    ("village_advisers", "How many hours a month must an adviser spend in villages?", "village_adviser_monthly_duty"),
    ("village_advisers", "How many villages have a legal adviser?", "villages_with_legal_advisers"),
    ("lawyer_mediation", "How many lawyer mediators are there?", "lawyer_mediators"),
    ("lawyer_mediation", "How many mediation studios exist?", "lawyer_mediation_studios"),
    ("lawyer_mediation", "How many cases were mediated?", "lawyer_mediation_cases"),
    ("lawyer_mediation", "When did lawyer mediation start?", "lawyer_mediation_start_year"),
    ("tibet_lawyers", "How many lawyers went to Tibet?", "tibet_lawyers_sent"),
    ("lawyers", "What's the weather like today?", None),
    ("no_such_topic", "How many lawyers?", None),
]

CONTACT_ONLY_TOPICS = {"hotline_12348", "hotline_hours", "legal_service_network", "wechat_channel"}


# --- fixtures -------------------------------------------------------------------------


# --- helpers --------------------------------------------------------------------------


def dump(engine):
    """Return every row of every knowledge table, in primary-key order."""
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


def append(data_dir: Path, filename: str, snippet: str) -> None:
    with open(data_dir / filename, "a", encoding="utf-8") as handle:
        handle.write("\n" + snippet.strip("\n") + "\n")


def architecture_topics():
    """Return ({faq topic}, {stat topic: [indicators]}) as documented in docs/architecture.md."""
    sections = re.split(r"^## ", ARCHITECTURE.read_text(encoding="utf-8"), flags=re.MULTILINE)
    faq_section = next(s for s in sections if s.startswith("FAQ topics"))
    stat_section = next(s for s in sections if s.startswith("Statistic topics"))
    faq_body = faq_section.split("\n", 1)[1]
    faq = set(re.findall(r"\b[a-z][a-z0-9_]*\b", faq_body))
    stat = {}
    for line in stat_section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 2 and re.fullmatch(r"[a-z][a-z0-9_]*", cells[0]) and cells[0] != "topic":
            stat[cells[0]] = [name.strip() for name in cells[1].split(",")]
    return faq, stat


# --- loading --------------------------------------------------------------------------


def test_load_into_database_counts_match_data_files(loaded_engine, kb_data):
    rows = dump(loaded_engine)
    assert {table: len(table_rows) for table, table_rows in rows.items()} == kb_data.counts()
    assert kb_data.counts()["statistics"] > 0


def test_load_into_database_twice_gives_identical_content(loaded_engine, kb_data):
    before = dump(loaded_engine)
    counts = load_into_database(loaded_engine, kb_data)
    assert dump(loaded_engine) == before
    assert counts == kb_data.counts()


def test_load_into_database_error_rolls_back(loaded_engine, kb_data):
    before = dump(loaded_engine)
    orphan = dict(kb_data.statistics[0], key="orphan@2030", indicator_key="no_such_indicator")
    broken = dataclasses.replace(kb_data, statistics=kb_data.statistics + (orphan,))
    with pytest.raises(IntegrityError):
        load_into_database(loaded_engine, broken)
    assert dump(loaded_engine) == before


BAD_FILES = [
    pytest.param(
        "statistics.yml",
        """
- key: lawyers@2030
  indicator: lawyers
  qualifier: about
  period_label: in 2030
  period_label_zh: 2030年
  as_of: 2030-01-01
  scope: nationwide
  scope_zh: 全国
  reliability: B
  source: scio-2021-09-24
""",
        "lawyers@2030",
        "missing required field 'value'",
        id="missing-field",
    ),
    pytest.param(
        "statistics.yml",
        """
- key: lawyers@2030
  indicator: lawyers
  value: about 900,000
  qualifier: about
  period_label: in 2030
  period_label_zh: 2030年
  as_of: 2030-01-01
  scope: nationwide
  scope_zh: 全国
  reliability: B
  source: scio-2021-09-24
""",
        "lawyers@2030",
        "field 'value' must be a number",
        id="value-not-a-number",
    ),
    pytest.param(
        "statistics.yml",
        """
- key: lawyers@2030
  indicator: lawyers
  value: 900000
  qualifier: about
  period_label: in 2030
  period_label_zh: 2030年
  as_of: September 2030
  scope: nationwide
  scope_zh: 全国
  reliability: B
  source: scio-2021-09-24
""",
        "lawyers@2030",
        "field 'as_of' must be a date",
        id="date-not-a-date",
    ),
    pytest.param(
        "indicators.yml",
        """
- key: paralegals
  topic: lawyers
  label: Paralegals
  label_zh: 律师助理
  unit: paralegals
  unit_zh: 名
  keywords: [paralegals]
  keywords_zh: [律师助理]
  headline: sometimes
  sort_order: 9
""",
        "paralegals",
        "field 'headline' must be true or false",
        id="bool-not-a-bool",
    ),
    pytest.param(
        "statistics.yml",
        """
- key: lawyers@2021-09
  indicator: lawyers
  value: 540000
  qualifier: more than
  period_label: as of September 2021
  period_label_zh: 截至2021年9月
  as_of: 2021-09-24
  scope: nationwide
  scope_zh: 全国
  reliability: B
  source: scio-2021-09-24
""",
        "lawyers@2021-09",
        "duplicate key 'lawyers@2021-09'",
        id="duplicate-key",
    ),
    pytest.param(
        "answers.yml",
        """
- topic: legal_aid_what
  language: en
  text: A second English answer for the same topic.
  source: legal-aid-law-2021
  last_reviewed: 2026-11-29
  legal_process: true
""",
        "legal_aid_what/en",
        "duplicate (topic, language)",
        id="duplicate-answer-language",
    ),
    pytest.param(
        "indicators.yml",
        """
- key: paralegals
  topic: no_such_topic
  label: Paralegals
  label_zh: 律师助理
  unit: paralegals
  unit_zh: 名
  keywords: [paralegals]
  keywords_zh: [律师助理]
  headline: false
  sort_order: 9
""",
        "paralegals",
        "unknown stat topic 'no_such_topic'",
        id="unknown-topic",
    ),
    pytest.param(
        "answers.yml",
        """
- topic: lawyers
  language: zh
  text: Only a stat topic has this key.
  source: legal-aid-law-2021
  last_reviewed: 2026-11-29
  legal_process: false
""",
        "lawyers/zh",
        "unknown faq topic 'lawyers'",
        id="answer-for-stat-topic",
    ),
    pytest.param(
        "statistics.yml",
        """
- key: paralegals@2030
  indicator: paralegals
  value: 1
  qualifier: about
  period_label: in 2030
  period_label_zh: 2030年
  as_of: 2030-01-01
  scope: nationwide
  scope_zh: 全国
  reliability: B
  source: no-such-source
""",
        "paralegals@2030",
        "unknown indicator 'paralegals'",
        id="unknown-indicator",
    ),
    pytest.param(
        "services.yml",
        """
- key: fax_line
  name: Fax line
  name_zh: 传真
  kind: fax
  contact: "000"
  contact_zh: "000"
  offers: Nothing.
  offers_zh: 无。
  language: zh
  source: scio-2021-09-24
""",
        "fax_line",
        "field 'kind' must be one of",
        id="unknown-kind",
    ),
    pytest.param(
        "statistics.yml",
        """
- key: lawyers@2030
  indicator: lawyers
  value: 900000
  qualifier: roughly
  period_label: in 2030
  period_label_zh: 2030年
  as_of: 2030-01-01
  scope: nationwide
  scope_zh: 全国
  reliability: D
  source: scio-2021-09-24
""",
        "lawyers@2030",
        "field 'qualifier' must be one of",
        id="unknown-qualifier",
    ),
    pytest.param(
        "statistics.yml",
        """
- key: lawyers@2030
  indicator: lawyers
  vaule: 900000
""",
        "lawyers@2030",
        "unknown field 'vaule'",
        id="misspelt-field",
    ),
    pytest.param(
        "statistics.yml",
        """
- key: lawyers@2030
  indicator: [lawyers
""",
        "line",
        "malformed YAML",
        id="malformed-yaml",
    ),
    pytest.param(
        "topics.yml",
        """
- {kind: faq, key: court_fees, title: "Court fees"}
""",
        "faq/court_fees",
        "has English 'title' but no Chinese 'title_zh'",
        id="topic-without-chinese-title",
    ),
    pytest.param(
        "indicators.yml",
        """
- key: paralegals
  topic: lawyers
  label_zh: 律师助理
  unit: paralegals
  unit_zh: 名
  keywords: [paralegals]
  keywords_zh: [律师助理]
  headline: false
  sort_order: 9
""",
        "paralegals",
        "has Chinese 'label_zh' but no English 'label'",
        id="indicator-without-english-label",
    ),
    pytest.param(
        "indicators.yml",
        """
- key: paralegals
  topic: lawyers
  label: Paralegals
  label_zh: Paralegals
  unit: paralegals
  unit_zh: 名
  keywords: [paralegals]
  keywords_zh: [律师助理]
  headline: false
  sort_order: 9
""",
        "paralegals",
        "field 'label_zh' must be Chinese text",
        id="chinese-field-in-english",
    ),
    pytest.param(
        "topics.yml",
        """
- kind: faq
  key: legal_aid_what
  title: What is legal aid?
  title: Legal aid
""",
        "line",
        "duplicate field 'title'",
        id="duplicate-field",
    ),
]


@pytest.mark.parametrize(("filename", "snippet", "entry", "reason"), BAD_FILES)
def test_bad_data_file_raises_and_leaves_database_unchanged(
    loaded_engine, data_copy, filename, snippet, entry, reason
):
    before = dump(loaded_engine)
    append(data_copy, filename, snippet)

    with pytest.raises(DataFileError) as excinfo:
        load_into_database(loaded_engine, load_data_dir(data_copy))

    matching = [
        problem
        for problem in excinfo.value.problems
        if problem.file == str(data_copy / filename)
        and problem.entry.startswith(entry)
        and reason in problem.reason
    ]
    assert matching, f"no problem {filename}: {entry}: {reason!r} in\n{excinfo.value}"
    assert str(matching[0]) in str(excinfo.value)
    assert dump(loaded_engine) == before


def test_faq_topic_needs_an_answer_in_each_language(data_copy):
    append(data_copy, "topics.yml", '- {kind: faq, key: court_fees, title: "Court fees", title_zh: "诉讼费"}')
    append(data_copy, "answers.yml", """
- topic: court_fees
  language: en
  text: Courts can defer, reduce or waive court fees.
  source: legal-aid-law-2021
  last_reviewed: 2026-11-29
  legal_process: true
""")
    with pytest.raises(DataFileError) as excinfo:
        load_data_dir(data_copy)
    assert [str(p).split("/")[-1] for p in excinfo.value.problems] == [
        "answers.yml: court_fees: no 'zh' answer (every FAQ topic needs one per language)"
    ]


def test_load_data_dir_reports_all_problems(data_copy):
    append(data_copy, "statistics.yml", BAD_FILES[0].values[1])
    append(data_copy, "indicators.yml", BAD_FILES[6].values[1])
    (data_copy / "services.yml").unlink()

    with pytest.raises(DataFileError) as excinfo:
        load_data_dir(data_copy)

    found = {(Path(p.file).name, p.entry) for p in excinfo.value.problems}
    assert ("statistics.yml", "lawyers@2030") in found
    assert ("indicators.yml", "paralegals") in found
    assert ("services.yml", "(file)") in found
    assert "file not found" in str(excinfo.value)


def test_cli_load_bad_file_in_process_exits_1_and_keeps_database(
    loaded_engine, database_url, data_copy, capsys
):
    before = dump(loaded_engine)
    append(data_copy, "statistics.yml", BAD_FILES[0].values[1])

    status = cli_main(["load", "--database-url", database_url, "--data-dir", str(data_copy)])

    assert status == 1
    err = capsys.readouterr().err
    assert f"error: {data_copy / 'statistics.yml'}: lawyers@2030: missing required field 'value'" in err
    assert dump(loaded_engine) == before


# --- the command line (subprocess) ----------------------------------------------------


def run_cli(*args, env_extra=None):
    env = dict(os.environ, SQLALCHEMY_WARN_20="1", **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-W", "error", "-m", "knowledge", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_load_prints_one_line_summary(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = run_cli("load", "--database-url", url)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert re.search(r"\d+ sources, \d+ topics, \d+ indicators, \d+ statistics, \d+ answers, \d+ services", lines[0])
    assert result.stderr == ""


def test_cli_load_uses_kb_database_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'env.db'}"
    result = run_cli("load", env_extra={"KB_DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env.db").exists()


def test_cli_load_bad_data_dir_exits_1_with_message(tmp_path, data_copy):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run_cli("load", "--database-url", url).returncode == 0
    engine = make_engine(url)
    before = dump(engine)
    append(data_copy, "statistics.yml", BAD_FILES[1].values[1])

    result = run_cli("load", "--database-url", url, "--data-dir", str(data_copy))

    assert result.returncode == 1
    expected = f"error: {data_copy / 'statistics.yml'}: lawyers@2030: field 'value' must be a number"
    assert expected in result.stderr
    assert result.stdout == ""
    assert dump(engine) == before
    engine.dispose()


def test_cli_check_validates_without_database(data_copy):
    assert run_cli("check", "--data-dir", str(data_copy)).returncode == 0
    append(data_copy, "indicators.yml", BAD_FILES[6].values[1])
    result = run_cli("check", "--data-dir", str(data_copy))
    assert result.returncode == 1
    assert f"error: {data_copy / 'indicators.yml'}: paralegals: unknown stat topic 'no_such_topic'" in result.stderr


def test_cli_load_unreachable_database_exits_2(tmp_path):
    result = run_cli("load", "--database-url", f"sqlite:///{tmp_path / 'missing' / 'kb.db'}")
    assert result.returncode == 2
    assert result.stderr.startswith("error: database ")


# --- db module ------------------------------------------------------------------------


def test_default_database_url_prefers_environment(monkeypatch):
    monkeypatch.setenv("KB_DATABASE_URL", "postgresql+psycopg2://kb@db/kb")
    assert default_database_url() == "postgresql+psycopg2://kb@db/kb"


def test_default_database_url_is_knowledge_db_at_repo_root(monkeypatch):
    monkeypatch.delenv("KB_DATABASE_URL", raising=False)
    assert default_database_url() == f"sqlite:///{REPO_ROOT / 'knowledge.db'}"


def test_make_engine_sets_timeouts_and_foreign_keys(engine):
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        else:
            assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "5s"
    assert engine.pool._pre_ping


def test_ping_succeeds_on_loaded_database(session):
    assert repository.ping(session=session) is None


def test_ping_raises_when_database_unreachable(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'missing' / 'kb.db'}")
    Session = make_session_factory(engine)
    with pytest.raises(OperationalError):
        with Session.begin() as session:
            repository.ping(session=session)
    engine.dispose()


# --- topics and answers ---------------------------------------------------------------


def test_every_architecture_topic_has_answer_or_statistics(session):
    faq, stat = architecture_topics()
    assert len(faq) == 26 and len(stat) == 13

    assert {t.key for t in repository.list_topics(session=session, kind="faq")} == faq
    assert {t.key for t in repository.list_topics(session=session, kind="stat")} == set(stat)
    for topic in sorted(faq):
        assert repository.get_answer(session=session, topic=topic) is not None, topic
    for topic, indicators in stat.items():
        listed = repository.list_indicators(session=session, topic=topic)
        assert sorted(i.key for i in listed) == sorted(indicators), topic
        assert any(i.headline for i in listed), topic
        for indicator in indicators:
            assert repository.get_indicator_history(session=session, indicator=indicator), indicator


def test_list_topics_sorted_by_key(session):
    topics = repository.list_topics(session=session)
    assert len(topics) == 39
    assert [t.key for t in topics] == sorted(t.key for t in topics)
    assert all(isinstance(t, repository.TopicView) for t in topics)
    assert all(len(t.title) < 40 for t in topics)


def test_get_topic_by_key_and_kind(session):
    assert repository.get_topic(session=session, key="legal_aid_apply").title == "How to apply for legal aid"
    assert repository.get_topic(session=session, key="arbitration", kind="stat").title == "Arbitration (figures)"
    assert repository.get_topic(session=session, key="lawyers", kind="stat").title == "Lawyers in China (figures)"
    assert repository.get_topic(session=session, key="arbitration", kind="faq").kind == "faq"
    # Keys are plain keys: an intent name is not one (the actions turn intents into keys).
    assert repository.get_topic(session=session, key="stat_lawyers") is None
    assert repository.get_topic(session=session, key="arbitration").kind == "faq"
    assert repository.get_topic(session=session, key="no_such_topic") is None


def test_get_answer_returns_plain_view_with_source(session):
    answer = repository.get_answer(session=session, topic="legal_aid_apply")
    assert isinstance(answer, repository.AnswerView)
    assert answer.title == "How to apply for legal aid"
    assert "Art. 38" in answer.text and "12348" in answer.text
    assert answer.legal_process is True
    assert answer.source_title == "Legal Aid Law of the People's Republic of China"
    assert answer.source_date == dt.date(2021, 8, 20)
    assert answer.source_url.startswith("http")
    assert answer.last_reviewed == REVIEWED
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.text = "changed"


def test_get_answer_missing_language_or_topic_is_none(session):
    assert repository.get_answer(session=session, topic="legal_aid_apply", language="fr") is None
    assert repository.get_answer(session=session, topic="lawyers") is None


def test_answers_are_plain_text_of_60_to_180_words(kb_data):
    english = [answer for answer in kb_data.answers if answer["language"] == "en"]
    assert len(english) == 26
    for answer in english:
        words = len(answer["text"].split())
        assert 60 <= words <= 180, (answer["topic_key"], words)
        assert not re.search(r"\*\*|__|^#|\]\(|`", answer["text"], flags=re.MULTILINE), answer["topic_key"]
        assert "12348" in answer["text"] or "legal aid centre" in answer["text"], answer["topic_key"]
        assert answer["last_reviewed"] == REVIEWED


def test_answers_flag_legal_process_except_contact_info(kb_data):
    flags = {answer["topic_key"]: answer["legal_process"] for answer in kb_data.answers}
    assert not any(flags[topic] for topic in CONTACT_ONLY_TOPICS)
    assert all(flags[topic] for topic in flags if topic.startswith("legal_aid_"))


def test_answers_do_not_overpromise(kb_data):
    texts = {answer["topic_key"]: answer["text"] for answer in kb_data.answers if answer["language"] == "en"}
    for topic, body in texts.items():
        assert "24/7" not in body, topic
        assert "working days" not in body or topic == "notarization" or "older rules" in body, topic
    assert "differ" in texts["hotline_12348"] and "call charges" in texts["hotline_12348"]
    assert "Each province sets its own hardship standard" in texts["legal_aid_eligibility"]
    assert "1 March 2026" in texts["arbitration"]
    assert "7 days" in texts["legal_aid_decision_time"]


# --- statistics -----------------------------------------------------------------------


def test_every_press_conference_figure_is_present(session):
    seed_rows = [s for s in repository.list_statistics(session=session) if s.source_title.startswith("State Council")]
    found = {(s.indicator, s.value, s.qualifier) for s in seed_rows}
    missing = [
        figure for figure in PRESS_CONFERENCE_FIGURES
        if (figure[0], float(figure[1]), figure[2]) not in found
    ]
    assert missing == []
    assert len(seed_rows) == len(PRESS_CONFERENCE_FIGURES)
    for row in seed_rows:
        assert row.source_title == (
            "State Council Information Office press conference on judicial administration"
            " and public legal services"
        )
        assert row.source_publisher == (
            "State Council Information Office (remarks by Deputy Minister of Justice Xiong Xuanguo)"
        )
        assert row.source_date == dt.date(2021, 9, 24)
        assert row.as_of == dt.date(2021, 9, 24)


def test_press_conference_rows_use_seed_source_key(kb_data):
    seed_indicators = sorted(s["indicator_key"] for s in kb_data.statistics if s["source_key"] == SEED)
    assert seed_indicators == sorted(figure[0] for figure in PRESS_CONFERENCE_FIGURES)


def test_unverified_figures_carry_a_hedging_note(kb_data):
    for statistic in kb_data.statistics:
        if statistic["reliability"] == "?":
            assert statistic["note"], statistic["key"]
    arbitration = next(s for s in kb_data.statistics if s["key"] == "arbitration_cases@2021-09")
    assert "cumulative" in arbitration["note"] and arbitration["period_year"] is None
    users = next(s for s in kb_data.statistics if s["key"] == "network_registered_users@2021-09")
    assert users["reliability"] == "?" and "no second source" in users["note"]


def test_lawyers_history_newest_first(session):
    history = repository.get_indicator_history(session=session, indicator="lawyers")
    assert [s.value for s in history] == [830_000, 651_600, 540_000]
    assert [s.as_of for s in history] == sorted((s.as_of for s in history), reverse=True)
    assert history[-1].period_label == "as of September 2021"
    assert all(isinstance(s, repository.StatisticView) for s in history)
    assert history[0].unit == "lawyers" and history[0].topic == "lawyers"
    assert history[0].label == "Practising lawyers"


def test_get_statistic_for_year(session):
    litigation_2020 = repository.get_statistic_for_year(session=session, indicator="lawyer_litigation_cases", year=2020)
    assert litigation_2020.value == 6.61e6 and litigation_2020.qualifier == "about"
    assert litigation_2020.reliability == "?" and litigation_2020.note
    assert repository.get_statistic_for_year(session=session, indicator="lawyer_litigation_cases", year=2022).value == 8_244_000
    assert repository.get_statistic_for_year(session=session, indicator="hotline_calls", year=2020).value == 8_770_000
    # Two conflicting 2022 legal-aid totals: the newer statement wins.
    assert repository.get_statistic_for_year(session=session, indicator="legal_aid_cases", year=2022).value == 1_370_000
    assert repository.get_statistic_for_year(session=session, indicator="lawyers", year=2019) is None


def test_list_statistic_years(session):
    assert repository.list_statistic_years(session=session, topic="lawyer_work") == [2020, 2022]
    assert repository.list_statistic_years(session=session, topic="hotline_calls") == [2018, 2020, 2021, 2022]
    assert repository.list_statistic_years(session=session, topic="no_such_topic") == []


def test_list_statistics_orders_by_indicator_then_newest(session):
    rows = repository.list_statistics(session=session, topic="lawyers")
    assert [r.indicator for r in rows] == (
        ["lawyers"] * 3 + ["lawyer_matters_per_year"] * 2 + ["lawyer_counsel_organisations"] * 2 + ["law_firms"]
    )
    for first, second in zip(rows, rows[1:], strict=False):
        if first.indicator == second.indicator:
            assert first.as_of >= second.as_of
    everything = repository.list_statistics(session=session)
    assert len(everything) == len(dump(session.get_bind())["statistics"])


def test_list_indicators_returns_keywords_tuple(session):
    indicators = repository.list_indicators(session=session, topic="lawyer_mediation")
    assert [i.key for i in indicators][:2] == ["lawyer_mediation_studios", "lawyer_mediators"]
    mediators = indicators[1]
    assert isinstance(mediators.keywords, tuple)
    assert {"mediators", "lawyer mediators"} <= set(mediators.keywords)
    assert mediators.headline is True


def test_match_indicators_natural_questions(session):
    wrong = []
    for topic, question, expected in QUESTIONS:
        matches = repository.match_indicators(session=session, topic=topic, text=question)
        best = matches[0].key if matches else None
        if best != expected:
            wrong.append((question, expected, best))
    assert wrong == []


def test_match_indicators_spelling_variants(session):
    for question in ("defence rate?", "DEFENSE RATE!"):
        assert repository.match_indicators(session=session, topic="criminal_defence", text=question)[0].key == (
            "criminal_defence_rate"
        )
    assert not repository.match_indicators(session=session, topic="lawyers", text="lawyerly")


# --- services -------------------------------------------------------------------------


def test_services(session):
    services = repository.list_services(session=session)
    assert {s.key for s in services} >= {
        "hotline_12348", "legal_service_network", "wechat_12348", "legal_aid_centres"
    }
    hotline = repository.get_service(session=session, key="hotline_12348")
    assert hotline.contact == "12348" and hotline.kind == "hotline"
    assert "province" in hotline.availability_note and "call charges" in hotline.availability_note
    assert repository.get_service(session=session, key="legal_service_network").contact == "https://www.12348.gov.cn"
    assert repository.get_service(session=session, key="wechat_12348").contact.endswith("掌上12348 in WeChat")
    assert repository.get_service(session=session, key="nope") is None
