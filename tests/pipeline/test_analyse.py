"""The Analyser's batched embedding: one model call per batch, each distinct text once, and
the same analysis as embedding article by article."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from ttdn.pipeline.analyse import Analyser, EmbeddingCache, embedding_key
from ttdn.pipeline.embed import E5Embedder, HashingEmbedder
from ttdn.pipeline.types import Article


@dataclass(kw_only=True)
class CountingE5(E5Embedder):
    """The real e5 model, counting calls and texts (an E5Embedder, so tone trusts it)."""

    calls: list[list[str]] = field(default_factory=list)

    def embed(self, texts: list[str]):  # type: ignore[no-untyped-def]
        self.calls.append(list(texts))
        return super().embed(texts)


ARTICLES = [
    Article(
        url="https://example.vn/a",
        title="Việt Nam đón 10 triệu lượt khách quốc tế",
        text="Hà Nội - Việt Nam đã đón 10 triệu lượt khách quốc tế trong năm tháng đầu năm, "
        "tăng mạnh so với cùng kỳ. Ngành du lịch kỳ vọng tiếp tục tăng trưởng.",
    ),
    Article(
        url="https://example.com/b",
        title="Vietnam welcomes record number of tourists",
        text="Vietnam welcomed a record ten million international visitors in the first five "
        "months of the year, officials in Hanoi said on Monday.",
    ),
    Article(
        url="https://example.fr/c",
        title="Inondations meurtrières aux Philippines",
        text="Des pluies torrentielles ont provoqué des inondations meurtrières dans le centre "
        "des Philippines, selon les autorités locales.",
    ),
]


def _analyse_all(analyser: Analyser) -> list[tuple[object, ...]]:
    out = []
    for i, article in enumerate(ARTICLES):
        a = analyser.analyse(article, key=f"k{i}", published=1_700_000_000.0 + i)
        out.append(
            (a.language, a.story_key, a.tone_label, round(a.tone_score or 0.0, 5),
             a.country_tone_label, round(float(a.embedding[0]), 5))
        )  # fmt: skip
    return out


@pytest.mark.slow
def test_prepare_embeds_everything_in_one_call_and_changes_no_result() -> None:
    batched = CountingE5()
    prepared = Analyser(embedder=batched)
    embedded = prepared.prepare(ARTICLES)
    assert len(batched.calls) == 1, "one model call for the whole batch"
    texts = batched.calls[0]
    assert len(texts) == embedded == len(set(texts)), "each distinct text once"
    # the clustering lead and the tone passage of the same article share one vector
    assert len(texts) < 3 * len(ARTICLES)
    with_prepare = _analyse_all(prepared)
    assert len(batched.calls) == 1, "analyse found every vector in the cache"

    one_by_one = CountingE5()
    plain = _analyse_all(Analyser(embedder=one_by_one))
    assert len(one_by_one.calls) > 1
    assert with_prepare == plain
    # the Vietnamese and English articles name Viet Nam, so their tone toward it is scored
    assert with_prepare[0][4] and with_prepare[1][4]


def test_embedding_key_folds_whitespace_only() -> None:
    assert embedding_key("Tiêu đề\nThân  bài\t.") == "Tiêu đề Thân bài ."
    assert embedding_key("A b") != embedding_key("a b")


def test_cache_embeds_missing_texts_once_and_stays_bounded() -> None:
    calls: list[list[str]] = []

    class Recording(HashingEmbedder):
        def embed(self, texts: list[str]):  # type: ignore[no-untyped-def]
            calls.append(list(texts))
            return super().embed(texts)

    cache = EmbeddingCache(Recording(), capacity=3)
    assert cache.prefetch(["a b", "a\nb", "c"]) == 2
    assert calls == [["a b", "c"]]
    rows = cache.embed(["a  b", "c"])
    assert rows.shape == (2, 512) and len(calls) == 1
    np.testing.assert_allclose(rows[0], Recording().embed(["a b"])[0])
    cache.prefetch(["d", "e", "f"])
    assert len(cache) == 3, "least recently used texts are dropped past the capacity"
    assert cache.embed([]).shape == (0, 512)


def test_the_consumer_forgets_fingerprints_a_month_behind_the_newest_report(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ttdn.pipeline.analyse as analyse

    monkeypatch.setattr(analyse, "DEDUPE_PRUNE_EVERY", 5)
    analyser = Analyser(embedder=HashingEmbedder())
    day = 86400.0
    start = 1_700_000_000.0
    for n in range(40):  # one distinct article a day for 40 days
        article = Article(
            url=f"https://example.com/{n}",
            title=f"Report number {n} on the Mekong delta harvest",
            text=" ".join(f"word{n}x{i}" for i in range(40)),
        )
        enrichment = analyser.enrich(article)
        analyser.place(article, enrichment, key=f"r{n}", published=start + n * day)
    times = [fp.time for fp in analyser.dedupe_index.fingerprints.values()]
    newest = start + 39 * day
    assert min(t for t in times if t is not None) >= newest - analyse.DEDUPE_MEMORY_S - 5 * day
    assert len(times) < 40
    # a copy of a report still remembered is still a duplicate
    recent = Article(
        url="https://mirror.example/38",
        title="Report number 38 on the Mekong delta harvest",
        text=" ".join(f"word38x{i}" for i in range(40)),
    )
    placed = analyser.place(recent, analyser.enrich(recent), key="copy", published=newest)
    assert placed.duplicate_of == "r38"


def test_articles_about_no_tracked_country_skip_the_model_stages() -> None:
    """The relevance gate: only articles about a tracked country are embedded, toned and
    clustered; the others keep their language and places (share of voice counts them)."""

    seen: list[str] = []

    class CountingHashing(HashingEmbedder):
        def embed(self, texts):  # type: ignore[no-untyped-def]
            seen.extend(texts)
            return super().embed(texts)

    embedder = CountingHashing()
    analyser = Analyser(embedder=embedder, tracked=frozenset({"VN", "TH"}), tone_models={})
    egypt = Article(url="https://example.org/eg", title="Protests in Cairo",
                    text="Thousands gathered in Tahrir Square in Cairo on Friday.")  # fmt: skip
    thai = Article(url="https://example.org/th", title="Thailand floods",
                   text="Floods in Thailand displaced thousands in Bangkok.")  # fmt: skip
    analyser.prepare([egypt, ARTICLES[1], thai])
    result = analyser.analyse(egypt, key="eg", published=1_700_000_000.0)
    assert result.modelled is False and result.story_key == "" and result.embedding.size == 0
    assert result.tone_label == "unknown" and result.language == "en"
    assert not any("Cairo" in t for t in seen)  # never embedded
    vn = analyser.analyse(ARTICLES[1], key="vn", published=1_700_000_001.0)
    th = analyser.analyse(thai, key="th", published=1_700_000_002.0)
    assert vn.modelled and vn.story_key and vn.embedding.size > 0
    assert th.modelled and th.story_key  # a peer country is tracked too
    assert any(m.key == "TH" for m in th.mentions)
    # the home language's press is modelled even when it names no place
    policy = Article(url="https://example.vn/p", title="Đề xuất lập quỹ bảo lãnh tín dụng",
                     text="Bộ Tài chính đề xuất lập quỹ bảo lãnh cho doanh nghiệp.")  # fmt: skip
    assert analyser.analyse(policy, key="p", published=1_700_000_003.0).story_key
    # with no gate (evaluations), every article is modelled
    everything = Analyser(embedder=HashingEmbedder(), tone_models={})
    assert everything.analyse(egypt, key="eg", published=1_700_000_000.0).story_key


def test_screen_says_which_articles_are_modelled_and_its_reading_is_reused() -> None:
    """`screen` (ingest asks it before reading a page in full): the same answer as the
    gate, and an untracked article's language and places are not read a second time."""
    analyser = Analyser(embedder=HashingEmbedder(), tracked=frozenset({"VN"}), tone_models={})
    egypt = Article(url="https://example.org/eg", title="Protests in Cairo",
                    text="Thousands gathered in Tahrir Square in Cairo on Friday.")  # fmt: skip
    assert analyser.screen(ARTICLES[1]) is True
    assert analyser.screen(egypt) is False
    assert analyser.screen(egypt) is False  # asked again: the kept plan answers
    assert len(analyser._screened) == 1
    plain = Analyser(embedder=HashingEmbedder(), tracked=frozenset({"VN"}), tone_models={})
    analyser.prepare([egypt, ARTICLES[1]])
    assert not analyser._screened  # consumed by the batch that stored it
    screened = analyser.analyse(egypt, key="eg", published=1_700_000_000.0)
    unscreened = plain.analyse(egypt, key="eg", published=1_700_000_000.0)
    assert screened.to_json() == unscreened.to_json() and not screened.modelled
    # no gate (evaluations): everything is modelled, nothing kept
    assert Analyser(embedder=HashingEmbedder(), tone_models={}).screen(egypt) is True
