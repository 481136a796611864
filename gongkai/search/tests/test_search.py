"""Search behaviour, the same on every backend: the naive LIKE scan and the full-text one of
the database under test (SQLite FTS5 or PostgreSQL tsvector), against a substring oracle."""

import random
from dataclasses import replace
from datetime import date

import pytest
from django.db import connection, transaction

from gongkai import search
from gongkai.search import Document, Query
from gongkai.search.backends import BACKENDS
from gongkai.search.corpus import Corpus

pytestmark = pytest.mark.django_db

CORPUS_SIZE = 300


@pytest.fixture(params=["naive", "fulltext"])
def engine(request):
    name = request.param
    if name == "fulltext":
        name = "postgres" if connection.vendor == "postgresql" else "sqlite"
    return BACKENDS[name]()


@pytest.fixture
def docs():
    return list(Corpus(seed=7).documents(CORPUS_SIZE))


@pytest.fixture
def filled(engine, docs):
    engine.index(docs)
    return engine


def oracle(docs, words, **filters):
    """Ids of the documents containing every word (case-insensitive substring)."""
    found = set()
    for d in docs:
        fields = [f.lower() for f in (d.title, d.number, d.index_no, d.body)]
        if not all(any(w.lower() in f for f in fields) for w in words):
            continue
        if "org_path" in filters and not d.org_path.startswith(filters["org_path"]):
            continue
        if any(getattr(d, k) != v for k, v in filters.items() if k != "org_path"):
            continue
        found.add(d.id)
    return found


def every_id(engine, query):
    result = engine.search(replace(query, limit=10_000, facets=False))
    assert len(result.hits) == result.total
    return {h.id for h in result.hits}


def doc(i, title="标题", body="", **kw):
    fields = dict(
        org_id=1, org_path="/1/", category="policy", year=2020, validity="",
        published=date(2020, 1, 1), number="", index_no="",
    )  # fmt: skip
    fields.update(kw)
    return Document(id=i, title=title, body=body, **fields)


WORDS = [
    "拆迁", "低保", "征地补偿", "社会保障卡", "绵阳市", "北川羌族自治县", "迁补", "保障",
    "补偿款", "12345热线", "pm2.5", "PM2", "5g基站", "App", "0816-2222222", "2222",
    "十五日内支付", "市、县", "（市、区）", "绵府发〔2017〕", "〔2019〕1", "2017-000",
    "不存在的词", "政府信息公开条例》", "万元。", "3户",
]  # fmt: skip


@pytest.mark.parametrize("word", WORDS)
def test_every_document_containing_the_word_is_found_and_nothing_else(filled, docs, word):
    assert every_id(filled, Query(text=word)) == oracle(docs, [word])


def test_random_substrings_of_documents_are_found_exactly(filled, docs):
    rng = random.Random(11)
    for _ in range(60):
        d = rng.choice(docs)
        field = rng.choice([d.title, d.body, d.body, d.number or d.index_no])
        n = rng.randint(2, 7)
        start = rng.randrange(max(1, len(field) - n))
        word = field[start : start + n]
        if " " in word or not (word[0].isalnum() and word[-1].isalnum()):
            continue  # the oracle below knows nothing of the edge-punctuation rule
        assert every_id(filled, Query(text=word)) == oracle(docs, [word]), word


def test_numbers_and_index_numbers_of_documents_are_found(filled, docs):
    for d in docs[:20]:
        for word in filter(None, (d.number, d.index_no)):
            found = every_id(filled, Query(text=word))
            assert d.id in found
            assert found == oracle(docs, [word])


@pytest.mark.parametrize(
    "text", ["拆迁 低保", "绵阳市 补偿 工作", "社会保障卡 12345热线", "低保 不存在的词"]
)
def test_space_separated_words_must_all_occur(filled, docs, text):
    assert every_id(filled, Query(text=text)) == oracle(docs, text.split())


def test_a_quoted_phrase_keeps_its_space(engine):
    engine.index(
        [doc(1, body="社会 保障卡"), doc(2, body="社会保障卡"), doc(3, body="社会，保障卡")]
    )
    assert every_id(engine, Query(text='"社会 保障卡"')) == {1}
    assert every_id(engine, Query(text="社会 保障卡")) == {1, 2, 3}


def test_case_and_width_do_not_matter(engine):
    engine.index([doc(1, body="２０１７年ＰＭ２.５"), doc(2, body="2017年pm2.5")])
    assert every_id(engine, Query(text="2017年")) == {1, 2}
    assert every_id(engine, Query(text="Pm2.5")) == {1, 2}


def test_words_are_not_found_across_fields_or_punctuation(engine):
    engine.index(
        [doc(1, title="房屋拆", body="迁补偿"), doc(2, body="拆迁，补偿"), doc(3, body="拆迁补偿")]
    )
    assert every_id(engine, Query(text="拆迁补偿")) == {3}
    assert every_id(engine, Query(text="拆迁，补偿")) == {2}


@pytest.mark.parametrize(
    "text",
    ['"', '""', "AND", "拆迁 AND 低保", "NEAR(拆迁 低保)", "拆迁*", "*", "(", ")", "拆迁 OR",
     "'; DROP TABLE search_entry; --", "%", "_", "\\", "^拆迁", "拆迁:低保", "{title}:拆迁",
     "-拆迁", "+", "拆迁\x00", "\ue001", "   "],
)  # fmt: skip
def test_nasty_input_does_not_raise(filled, docs, text):
    result = filled.search(Query(text=text))
    assert result.total == len(result.hits) or result.total > len(result.hits) == 20


@pytest.mark.parametrize("text", ["AND", "拆迁 AND 低保", "拆迁*", "%", "_"])
def test_operators_are_searched_as_text(engine, text):
    engine.index([doc(1, body="拆迁 AND 低保"), doc(2, body="拆迁和低保"), doc(3, body="拆迁*")])
    engine.index([doc(4, body="100%_完成"), doc(5, body="100完成")])
    expected = {"AND": {1}, "拆迁 AND 低保": {1}, "拆迁*": {1, 2, 3}, "%": set(), "_": set()}
    assert every_id(engine, Query(text=text)) == expected[text]


def test_single_characters_are_ignored_and_reported(filled):
    result = filled.search(Query(text="拆"))
    assert (result.total, result.hits, result.ignored) == (0, [], ["拆"])
    result = filled.search(Query(text="低保 市"))
    assert result.ignored == ["市"]
    assert result.total == filled.search(Query(text="低保")).total


def test_an_empty_query_lists_everything_newest_first(filled, docs):
    result = filled.search(Query(text="", limit=5))
    assert result.total == CORPUS_SIZE
    newest = sorted(docs, key=lambda d: (d.published, d.id), reverse=True)[:5]
    assert [h.id for h in result.hits] == [d.id for d in newest]


@pytest.mark.parametrize(
    "filters",
    [{"org_path": "/1/"}, {"org_path": "/1/3/"}, {"category": "land"}, {"year": 2019},
     {"validity": "valid"}, {"year": 2018, "category": "policy"}],
)  # fmt: skip
def test_filters(filled, docs, filters):
    assert every_id(filled, Query(text="补偿", **filters)) == oracle(docs, ["补偿"], **filters)


def test_org_subtree_does_not_take_siblings_with_a_longer_number(engine):
    engine.index([doc(1, body="低保", org_path="/1/2/"), doc(2, body="低保", org_path="/1/20/")])
    engine.index([doc(3, body="低保", org_path="/1/2/7/")])
    assert every_id(engine, Query(text="低保", org_path="/1/2/")) == {1, 3}
    assert every_id(engine, Query(text="低保", org_path="/1/2/7/")) == {3}
    # Not a whole path: a plain string prefix.
    assert every_id(engine, Query(text="低保", org_path="/1/2")) == {1, 2, 3}


def test_facets_count_the_filtered_result(filled, docs):
    result = filled.search(Query(text="低保", year=2019))
    matched = [d for d in docs if d.id in oracle(docs, ["低保"], year=2019)]
    assert result.total == len(matched)
    expected = {"org_id": {}, "category": {}, "year": {}, "validity": {}}
    for d in matched:
        for name in expected:
            value = str(getattr(d, name))
            if value:
                expected[name][value] = expected[name].get(value, 0) + 1
    assert result.facets == expected
    assert list(result.facets["category"].values()) == sorted(
        result.facets["category"].values(), reverse=True
    )


def test_sort_by_date_is_newest_first(filled, docs):
    result = filled.search(Query(text="补偿", sort="date", limit=10_000))
    by_id = {d.id: d for d in docs}
    order = [(by_id[h.id].published, h.id) for h in result.hits]
    assert order == sorted(order, reverse=True)
    assert [h.published for h in result.hits] == [p for p, _ in order]


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_pages_add_up_to_the_whole_list(filled, sort):
    whole = filled.search(Query(text="补偿", sort=sort, limit=10_000)).hits
    pages = []
    for offset in range(0, len(whole), 7):
        pages += filled.search(Query(text="补偿", sort=sort, offset=offset, limit=7)).hits
    assert [h.id for h in pages] == [h.id for h in whole]
    assert len(whole) > 20


def test_title_matches_rank_first(engine):
    engine.index(
        [
            doc(1, title="一般通知", body="关于低保的说明，其他内容" * 3),
            doc(2, title="低保标准调整", body="其他内容" * 3),
            doc(3, title="一般通知", body="其他内容" * 3),
        ]
    )
    result = engine.search(Query(text="低保"))
    assert [h.id for h in result.hits] == [2, 1]
    assert result.hits[0].score > result.hits[1].score


@pytest.mark.parametrize("limit", [3, 500])
@pytest.mark.parametrize("words", ["补偿", "低保", "征地补偿 资金", "社会保障卡", "市、县"])
def test_the_ranking_is_the_same_on_every_backend(docs, words, limit):
    """Candidates come from each backend's own index; the order from one scoring rule."""
    native = "postgres" if connection.vendor == "postgresql" else "sqlite"
    BACKENDS[native]().index(docs)  # both backends read the same entry table
    orders = {
        name: [
            (h.id, h.score) for h in BACKENDS[name]().search(Query(text=words, limit=limit)).hits
        ]
        for name in ("naive", native)
    }
    assert orders["naive"] == orders[native]
    assert len(orders["naive"]) > 1


def test_more_occurrences_rank_higher_and_a_longer_text_lower(engine):
    """BM25 without IDF over the matches: frequency saturates, length normalises."""
    filler = "其他内容说明" * 20
    engine.index(
        [
            doc(1, body="低保" + filler, published=date(2020, 1, 5)),
            doc(2, body="低保低保低保" + filler, published=date(2020, 1, 4)),
            doc(3, body="低保低保低保" + filler * 3, published=date(2020, 1, 3)),
            doc(4, body="低保" + filler, published=date(2020, 1, 2)),  # = 1, older
        ]
    )
    hits = engine.search(Query(text="低保")).hits
    assert [h.id for h in hits] == [2, 3, 1, 4]
    assert hits[2].score == hits[3].score


def test_hits_are_escaped_and_marked(engine):
    engine.index([doc(1, title="<script>低保</script>", body='a&b "低保" <i>x</i>')])
    [hit] = engine.search(Query(text="低保")).hits
    assert hit.title_html == "&lt;script&gt;<mark>低保</mark>&lt;/script&gt;"
    assert hit.snippet_html == "a&amp;b &quot;<mark>低保</mark>&quot; &lt;i&gt;x&lt;/i&gt;"


def test_reindexing_an_id_replaces_it(engine):
    engine.index([doc(1, title="拆迁公告", body="旧的正文", number="绵府发〔2017〕1号")])
    engine.index([doc(1, title="低保公告", body="新的正文", year=2021)])
    assert every_id(engine, Query(text="拆迁")) == set()
    assert every_id(engine, Query(text="旧的")) == set()
    assert every_id(engine, Query(text="〔2017〕1号")) == set()
    assert every_id(engine, Query(text="新的正文", year=2021)) == {1}
    assert engine.count() == 1


def test_the_same_id_twice_in_one_call_keeps_the_last(engine):
    assert engine.index([doc(1, body="拆迁"), doc(1, body="低保")]) == 1
    assert every_id(engine, Query(text="拆迁")) == set()
    assert every_id(engine, Query(text="低保")) == {1}


def test_remove_and_clear(filled, docs):
    gone = sorted(oracle(docs, ["低保"]))[:5]
    filled.remove([*gone, 999_999])
    assert every_id(filled, Query(text="低保")) == oracle(docs, ["低保"]) - set(gone)
    assert filled.count() == CORPUS_SIZE - 5
    filled.clear()
    assert filled.count() == 0
    assert filled.search(Query(text="低保")).total == 0


def test_a_very_long_document_is_found_everywhere(engine):
    body = "低保" * 400 + "。" + "社会救助" * 5000 + "。" + "拆迁补偿标准"
    engine.index([doc(1, body=body), doc(2, body="拆迁补偿")])
    assert every_id(engine, Query(text="拆迁补偿标准")) == {1}
    assert every_id(engine, Query(text="低保低保")) == {1}
    assert every_id(engine, Query(text="拆迁补偿")) == {1, 2}
    assert every_id(engine, Query(text="救助。拆迁")) == {1}


def test_index_writes_belong_to_the_callers_transaction(engine):
    with pytest.raises(RuntimeError), transaction.atomic():
        engine.index([doc(1, body="拆迁")])
        raise RuntimeError
    assert engine.count() == 0
    assert every_id(engine, Query(text="拆迁")) == set()


def test_module_functions_use_the_configured_backend(settings, docs):
    settings.GONGKAI_SEARCH_BACKEND = "auto"
    assert search.backend().name == ("postgres" if connection.vendor == "postgresql" else "sqlite")
    search.index(docs[:10])
    assert search.search(Query(text="")).total == 10
    search.remove([docs[0].id])
    assert search.backend().count() == 9
    search.clear()
    assert search.backend().count() == 0
    settings.GONGKAI_SEARCH_BACKEND = "naive"
    assert search.backend().name == "naive"
    settings.GONGKAI_SEARCH_BACKEND = "lucene"
    with pytest.raises(ValueError, match="lucene"):
        search.backend()


@pytest.mark.parametrize("window", [1, 5, 50])
def test_above_the_rank_window_the_newest_are_ranked_then_the_rest_by_date(
    filled, docs, settings, window
):
    """A vague query ranks only its newest ``window`` matches; the order stays total."""
    settings.GONGKAI_SEARCH_RANK_WINDOW = window
    everything = filled.search(Query(text="补偿", limit=10_000)).hits
    by_date = filled.search(Query(text="补偿", sort="date", limit=10_000)).hits
    assert len(everything) == len(by_date) > window
    assert {h.id for h in everything[:window]} == {h.id for h in by_date[:window]}
    assert [h.id for h in everything[window:]] == [h.id for h in by_date[window:]]
    scores = [h.score for h in everything[:window]]
    assert scores == sorted(scores, reverse=True)
    pages = []
    for offset in range(0, len(everything), 3):
        pages += filled.search(Query(text="补偿", offset=offset, limit=3)).hits
    assert [h.id for h in pages] == [h.id for h in everything]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("step", ["first", "second"])
def test_postings_do_not_outlive_a_flush(step):
    """Transactional tests flush the tables between tests: no ghost hits afterwards."""
    search.index([doc(7 if step == "first" else 8, body="拆迁")])
    assert search.search(Query(text="拆迁")).total == 1


def test_a_datetime_as_publication_date_counts_as_its_day(engine):
    from datetime import datetime

    engine.index([doc(1, body="拆迁", published=datetime(2021, 5, 6, 23, 30))])
    [hit] = engine.search(Query(text="拆迁", sort="date")).hits
    assert hit.published == date(2021, 5, 6)


PUNCTUATED = [
    "请拨打0816-2222222咨询", "电话0816 2222222", "0816-22222223", "08162222222", "0816—2222222",
    "绵府发〔2017〕12号文件", "绵府发〔2017〕120号", "绵府发[2017]12号", "绵府发〔2017〕 12号",
    "PM2.5浓度", "pm25", "PM2-5", "PM2.55", "2017-00012", "000014349/2017-00012", "2017-0001",
    "2017－00012", "App下载app", "5G基站", "a.b", "a..b", "x_y", "100%完成", "C++程序", "“引号”内容",
]  # fmt: skip
PUNCTUATED_WORDS = [
    "0816-2222222", "绵府发〔2017〕12号", "〔2017〕12", "PM2.5", "pm2.5浓", "2017-00012",
    "2017-0001", "9/2017", "app下载", "5g基", "a.b", "a..b", "x_y", "0%完", "c++程", "引号”内",
    "2222222", "6-2", "7〕12号",
]  # fmt: skip


@pytest.mark.parametrize("word", PUNCTUATED_WORDS)
def test_words_with_punctuation_are_found_exactly(engine, word):
    docs = [doc(i, body=body) for i, body in enumerate(PUNCTUATED, start=1)]
    docs += [doc(100 + i, title=body, body="无关") for i, body in enumerate(PUNCTUATED, start=1)]
    engine.index(docs)
    assert every_id(engine, Query(text=word)) == oracle(docs, [word]), word


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_a_bounded_total_gives_the_same_hits(filled, docs, settings, sort):
    settings.GONGKAI_SEARCH_RANK_WINDOW = 5
    for word in ["补偿", "低保", "0816-2222222", "不存在的词"]:
        n = len(oracle(docs, [word]))
        for offset in (0, 3, 40):
            exact = filled.search(Query(text=word, sort=sort, offset=offset, limit=7, facets=False))
            bounded = filled.search(
                Query(text=word, sort=sort, offset=offset, limit=7, facets=False, exact_total=False)
            )
            assert exact.total == n and exact.total_is_exact
            assert [h.id for h in bounded.hits] == [h.id for h in exact.hits]
            bound = offset + 7 + 1 if sort == "date" else max(offset + 7, 5) + 1
            assert (bounded.total, bounded.total_is_exact) == (
                (n, True) if n < bound else (bound, False)
            )


def test_rebuild_recreates_the_postings_from_the_entries(filled, docs):
    before = every_id(filled, Query(text="0816-2222222"))
    assert filled.rebuild() == CORPUS_SIZE
    assert every_id(filled, Query(text="0816-2222222")) == before == oracle(docs, ["0816-2222222"])
    assert every_id(filled, Query(text="补偿")) == oracle(docs, ["补偿"])


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_migration_fills_the_postgres_date_key_as_the_backend_writes_it(docs):
    """search/0006 computes ``k`` in SQL for existing postings: the same keys as ``_post``."""
    from importlib import import_module

    from gongkai.search.backends import SqliteBackend

    migration = import_module("gongkai.search.migrations.0006_postgres_date_key")
    BACKENDS["postgres"]().index(docs[:50])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE search_pg SET k = 0")
        cursor.execute(migration.FORWARD[1])
        cursor.execute(
            "SELECT p.id, p.k, e.published FROM search_pg p JOIN search_entry e USING (id)"
        )
        rows = cursor.fetchall()
    assert len(rows) == 50
    assert [k for _, k, _ in rows] == [SqliteBackend.key(i, day) for i, _, day in rows]
