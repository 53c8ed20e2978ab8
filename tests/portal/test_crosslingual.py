"""Cross-language pickups (`ttdn.pipeline.crosslingual`) on the self-written cases its
thresholds were set on: the demo article (vi, en, fr) quoted, translated or republished in
another language, against reports on the same places that quote nothing. The real bundled
multilingual-e5-small model embeds them (nothing is downloaded)."""

from __future__ import annotations

import numpy as np
import pytest

from ttdn.pipeline import crosslingual as X
from ttdn.pipeline.embed import E5Embedder
from ttdn.portal.demo_content import ARTICLE

VERSIONS = {
    language: "\n".join([fields["title"], fields["summary"], *fields["body"]])
    for language, fields in ARTICLE.items()
}

# (report language, text, is it a pickup?)
# fmt: off
CASES: dict[str, tuple[str, str, bool]] = {
    "French one-sentence quote": ("fr", "Café : le Viet Nam séduit\nLe Viet Nam, premier producteur de robusta, attire de plus en plus de touristes. Selon le portail officiel du pays, « dès novembre, les collines de café autour de Bao Loc et Di Linh sont en pleine récolte, et de nombreuses coopératives ne cueillent que les cerises rouges et mûres ». Les prix mondiaux ont progressé de 20 % cette année, selon les négociants de Hô Chi Minh-Ville.", True),  # noqa: E501
    "German two-sentence quote": ("de", "Kaffee aus dem Hochland\nWie das offizielle Portal Vietnams berichtet, pflücken viele Genossenschaften nur rote, reife Kirschen, um das Aroma zu bewahren. Die Ernte um Bao Loc und Di Linh beginnt im November.", True),  # noqa: E501
    "Spanish translation": ("es", "El café de Lam Dong en plena cosecha\nEn la meseta de Lam Dong, los agricultores recogen las cerezas de café maduras y prueban nuevas formas de procesarlas. Desde noviembre, las colinas cafeteras de Bao Loc y Di Linh están en plena cosecha. Muchas cooperativas solo recogen las cerezas rojas y maduras para conservar el sabor. Algunos hogares han pasado al procesamiento húmedo y al secado en camas elevadas.", True),  # noqa: E501
    "French republication": ("fr", "Lam Dong, la récolte du café\nSur les hauts plateaux de Lam Dong, les paysans récoltent les cerises de café bien mûres et testent d'autres façons de les traiter. À partir de novembre, c'est la récolte sur les collines de Bao Loc et de Di Linh. Beaucoup de coopératives ne ramassent que les cerises rouges pour garder le goût. Des familles sont passées au lavage et au séchage sur des claies surélevées, et vendent leurs grains plus cher.", True),  # noqa: E501
    "French, same subject": ("fr", "Le café vietnamien au plus haut\nLe Viet Nam a exporté un volume record de café cette année, selon les négociants de Hô Chi Minh-Ville. Les prix mondiaux du robusta ont bondi en raison de la sécheresse au Brésil.", False),  # noqa: E501
    "French, same places": ("fr", "Pluies sur les plateaux\nLes prix du café à Bao Loc et Di Linh ont chuté de 10 % cette semaine. De fortes pluies ont endommagé les routes de la province de Lam Dong, et les camions ne peuvent plus rejoindre les entrepôts.", False),  # noqa: E501
    "English, same places": ("en", "Rain hits Lam Dong\nHeavy rain in Lam Dong delayed the coffee harvest around Bao Loc and Di Linh this week, where farmers said prices had fallen by a tenth. Traders expect exports to recover in December.", False),  # noqa: E501
    "Spanish, Brazil's harvest": ("es", "Sequía en Brasil\nLos caficultores de Brasil temen otra sequía. En Minas Gerais, las cooperativas recogen solo cerezas maduras para mantener la calidad.", False),  # noqa: E501
    "German travel tips, same places": ("de", "Reisetipps Da Lat\nDa Lat im Hochland von Lam Dong ist bei Touristen beliebt. Besucher wandern zu Wasserfällen bei Bao Loc und trinken Kaffee in Di Linh, wo es im November kühl ist.", False),  # noqa: E501
}
# fmt: on


@pytest.fixture(scope="module")
def embedder() -> E5Embedder:
    return E5Embedder()


def test_names_fold_across_languages_and_anchors_are_what_translation_keeps() -> None:
    assert X.fold("Bảo Lộc") == "bao loc" and X.fold("Đà Lạt") == "da lat"
    anchors = X.page_anchors(list(VERSIONS.values()))
    assert anchors == {"lam", "dong", "bao", "loc", "di", "linh"}
    # a page with one version: its names inside sentences and its numbers, not generic ones
    single = X.page_anchors(["Since 2025 Viet Nam has 34 provinces, said Nguyen Van Binh."])
    assert single == {"2025", "34", "nguyen", "van", "binh"}


@pytest.mark.parametrize("name", list(CASES))
def test_quotes_and_translations_pass_and_same_place_reports_do_not(
    name: str, embedder: E5Embedder
) -> None:
    language, text, is_pickup = CASES[name]
    anchors = X.page_anchors(list(VERSIONS.values()))
    shared = X.tokens(text) & anchors
    if len(shared) < X.MIN_SHARED_ANCHORS:
        assert not is_pickup, f"{name}: a pickup must share the page's names"
        return
    report = embedder.embed(X.sentences(text)[: X.MAX_REPORT_SENTENCES])
    others = [
        np.asarray(embedder.embed(X.sentences(v)))
        for lang, v in VERSIONS.items()
        if lang != language
    ]
    score = X.page_score(report, others)
    if is_pickup:
        assert score >= X.ANCHORED_COSINE, f"{name}: {score:.3f}"
    else:
        assert score < X.ANCHORED_COSINE, f"{name}: {score:.3f}"
