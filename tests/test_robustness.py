"""Any input whatever ends as a valid entry or as clear problems, never as an exception."""

from __future__ import annotations

import string

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.config import DisclosureConfig
from gongkai.entry import Entry
from gongkai.fields import FIELDS
from gongkai.front_matter import _FrontMatterLoader, _simple_front_matter, parse_front_matter
from gongkai.problems import Problem
from gongkai.reader import read_entry
from gongkai.screening import screen_entry

CONFIG = DisclosureConfig()
PATH = "disclosures/2021/x.md"

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
    st.text(alphabet="0123456789-X", min_size=11, max_size=19),
    st.sampled_from(["2021-03-04", "2021-02-30", "民生保障", "website", "true", "[website]",
                     "<script>alert(1)</script>", "13812345678"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)
keys = st.one_of(st.sampled_from(list(FIELDS)), st.text(max_size=10))
front_matters = st.dictionaries(keys, values, max_size=10)
bodies = st.one_of(st.text(max_size=200), st.sampled_from([
    "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>", "身份证号 500230199001010015",
    "| a | b |\n|---|---|\n| 1 | 2 |",
]))

nasty_texts = st.one_of(
    st.binary(max_size=300).map(lambda data: b"---\n" + data),
    st.text(max_size=300).map(lambda text: ("---\n" + text).encode("utf-8", "surrogatepass")),
    st.sampled_from([
        b"---\n" + b"a: " + b"[" * 5000 + b"\n---\n",
        b"---\n" + b"a: " + b"{b: " * 3000 + b"\n---\n",
        b"---\na: &a [x, x, x]\nb: &b [*a, *a, *a]\ntitle: *b\n---\n",
        b"---\ntitle: !!int x\n---\n", b"---\ntitle: !!binary ~~\n---\n",
        b"---\ntitle: !!float x\n---\n", b"---\ntitle: !!timestamp x\n---\n",
        b"---\ntitle: " + b"9" * 5000 + b"\n---\n", b"---\n? [a, b]\n: c\n---\n",
        b"---\n<<: {title: x}\n---\n", b"---\ntitle: !!set {a, b}\n---\n",
    ]),
)


def _dump(front_matter: dict, body: str) -> bytes:
    text = yaml.safe_dump(front_matter, allow_unicode=True, default_flow_style=None)
    return ("---\n" + text + "---\n" + body).encode("utf-8", "surrogatepass")


def _assert_entry_or_problems(data: bytes) -> None:
    entry, problems = read_entry(data, PATH, "2021/x", CONFIG)
    assert all(isinstance(p, Problem) and p.path == PATH and str(p) for p in problems)
    if entry is None:
        assert any(p.is_error for p in problems)
        return
    assert isinstance(entry, Entry) and not any(p.is_error for p in problems)
    screen_problems, notes = screen_entry(entry, CONFIG)
    assert all(isinstance(p, Problem) and str(p) for p in screen_problems + notes)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matters, bodies)
def test_generated_front_matter_gives_an_entry_or_problems(front_matter, body):
    _assert_entry_or_problems(_dump(front_matter, body))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nasty_texts)
def test_junk_gives_problems_not_exceptions(data):
    _assert_entry_or_problems(data)


# --- The fast reader of flat front matter agrees with YAML wherever it answers ---------------

plain_words = st.text(alphabet=string.ascii_letters + string.digits + " -_:#,.'\"[]{}!&*|>%@`"
                      + "关于通知〔〕号，、", min_size=0, max_size=12)
lines = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(list(FIELDS) + ["on", "x_1", "null"]),
              plain_words),
    st.builds(lambda k, items: f"{k}: [{', '.join(items)}]", st.sampled_from(list(FIELDS)),
              st.lists(plain_words, max_size=3)),
    st.sampled_from(["", "# 注释", "  indented: 1", "- item", "key:", "draft: yes", "draft: off",
                     "title: 2021", "title: 0x1F", "title: ~", "title: 1e3", "title: .inf",
                     "tags: [true, 1]"]),
)


def _yaml_values(source: str) -> dict | None:
    loader = _FrontMatterLoader(source)
    try:
        node = loader.get_single_node()
        if not isinstance(node, yaml.MappingNode):
            return None
        return {str(loader.construct_object(k, deep=True)): (loader.construct_object(v, deep=True),
                                                              k.start_mark.line + 2)
                for k, v in node.value}
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


@settings(max_examples=1500, deadline=None)
@given(st.lists(lines, max_size=8).map("\n".join))
def test_fast_reader_agrees_with_yaml(source):
    fast = _simple_front_matter(source)
    if fast is not None:
        assert fast == _yaml_values(source)
        assert parse_front_matter(source, PATH) == (fast, [])
