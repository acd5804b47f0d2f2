from __future__ import annotations

import pytest

from l10n.config import CONFIG_NAME, INIT_TEMPLATE, parse_config
from l10n.layout import Layout


def test_layout_paths() -> None:
    layout = Layout.from_config(parse_config(INIT_TEMPLATE, file=CONFIG_NAME))
    assert layout.article("2024/03/ai.html") == "articles/2024/03/ai.html"
    assert layout.template("2024/03/ai.html") == "locales/templates/2024/03/ai.pot"
    assert layout.catalog("zh-Hans", "2024/03/ai.html") == "locales/zh-Hans/2024/03/ai.po"
    assert layout.published("ar", "2024/03/ai.html") == "public/ar/2024/03/ai.html"
    assert layout.template("old.htm") == "locales/templates/old.pot"
    assert layout.catalog("es", "ai.html") == "locales/es/ai.po"


def test_layout_with_custom_folders() -> None:
    config = parse_config(
        'languages = ["es"]\narticles = "./content/"\nlocales = "i18n"\noutput = "site"\n',
        file=CONFIG_NAME,
    )
    layout = Layout.from_config(config)
    assert layout.article("a.html") == "content/a.html"
    assert layout.template("a.html") == "i18n/templates/a.pot"
    assert layout.published("es", "a.html") == "site/es/a.html"


@pytest.mark.parametrize("locales", ["locales", "./i18n/po/"])
def test_template_of_a_catalog_is_the_articles_template(locales: str) -> None:
    layout = Layout(locales=locales)
    for rel in ("ai.html", "2024/03/x.y.htm", "es/es.html"):
        assert layout.template_of("es", layout.catalog("es", rel)) == layout.template(rel)


def test_collision_compares_stems_as_case_insensitive_normalising_file_systems_do() -> None:
    clash = Layout.collision
    assert clash(["x.htm", "x.html"]) == ("x.htm", "x.html")
    assert clash(["A/b.html", "a/B.HTML", "c.html"]) == ("A/b.html", "a/B.HTML")
    assert clash(["caf\u00e9.html", "cafe\u0301.htm"]) == ("caf\u00e9.html", "cafe\u0301.htm")
    # Different names, or the same name in different folders, are different files.
    assert clash(["a/x.html", "b/x.html", "x.html", "x.html.htm", "x-1.html"]) is None
