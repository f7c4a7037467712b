"""Translation catalogs: extract the interface strings, merge them into .po, compile .mo.

A developer tool (scripts/i18n.sh runs it): ``python -m careersite.catalog [update|compile|
check]``. Strings are found with Babel's extractors: Python calls of ``_``, ``N_``,
``gettext`` and ``ngettext`` in ``careersite/**.py``, and ``_()``/``gettext``/``ngettext``/
``{% trans %}`` in the built-in templates (Jinja's extractor). The tests run `problems()`,
so a string added without a Swedish translation fails the suite.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from careersite.i18n import DOMAIN, LOCALE_DIR, TRANSLATED

PACKAGE_DIR = Path(__file__).resolve().parent
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true",
                 "lstrip_blocks": "true"}


def templates_dir() -> Path:
    """The built-in templates (imported late: render imports the whole pipeline)."""
    from careersite.render import builtin_templates

    return builtin_templates()


def sources() -> list[tuple[str, Path]]:
    """(extraction method, file) of every file that may hold interface strings."""
    found = [("python", p) for p in sorted(PACKAGE_DIR.rglob("*.py"))]
    found += [("jinja2.ext:babel_extract", p) for p in sorted(templates_dir().rglob("*.html"))]
    return found


def extract() -> Catalog:
    """Every interface string of the Python code and the built-in templates."""
    template = Catalog(domain=DOMAIN, project="careersite", fuzzy=False)
    root = PACKAGE_DIR.parent
    for method, path in sources():
        options = JINJA_OPTIONS if method != "python" else {}
        try:
            where = path.relative_to(root).as_posix()
        except ValueError:
            where = path.name
        for lineno, message, comments, context in extract_from_file(
                method, path, keywords=KEYWORDS, options=options):
            template.add(message, None, [(where, lineno)], auto_comments=comments,
                         context=context)
    return template


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def read_catalog(path: Path, language: str) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=language, domain=DOMAIN)


def update(language: str) -> Catalog:
    """Merge the extracted strings into the language's .po (new ones untranslated)."""
    template = extract()
    path = po_path(language)
    if path.is_file():
        catalog = read_catalog(path, language)
    else:
        catalog = Catalog(locale=language, domain=DOMAIN, project="careersite", version="1",
                          header_comment=f"# {language} translation of careersite's interface.",
                          fuzzy=False)
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=100, ignore_obsolete=True, include_previous=False)
    return catalog


def compile_mo(language: str) -> None:
    """Compile the language's .po into the .mo shipped with the package."""
    catalog = read_catalog(po_path(language), language)
    with mo_path(language).open("wb") as f:
        write_mo(f, catalog, use_fuzzy=False)


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def translations_of(catalog: Catalog) -> dict[object, object]:
    """msgid -> msgstr of the translated, non-fuzzy messages (what gettext will use)."""
    return {_key(m.id): _key(m.string) for m in catalog
            if m.id and m.string and not m.fuzzy
            and (not isinstance(m.string, list | tuple) or all(m.string))}


def problems(language: str) -> list[str]:
    """Strings of the sources without a translation, and a stale .mo; empty when all good."""
    catalog = read_catalog(po_path(language), language)
    done = translations_of(catalog)
    found: list[str] = []
    for message in extract():
        if message.id and _key(message.id) not in done:
            where = ", ".join(f"{f}:{n}" for f, n in message.locations)
            found.append(f"{where}: no {language} translation for {message.id!r}")
    mo = mo_path(language)
    if not mo.is_file():
        found.append(f"{mo}: missing; run scripts/i18n.sh")
    else:
        with mo.open("rb") as f:
            compiled = translations_of(read_mo(f))
        if compiled != done:
            found.append(f"{mo}: older than {po_path(language).name}; run scripts/i18n.sh")
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """update (merge new strings into the .po files), compile, check; default: update+compile."""
    args = list(sys.argv[1:] if argv is None else argv) or ["update", "compile"]
    status = 0
    for command in args:
        for language in TRANSLATED:
            if command == "update":
                catalog = update(language)
                missing = sum(1 for m in catalog if m.id and not m.string)
                sys.stderr.write(f"{po_path(language)}: {missing} untranslated\n")
            elif command == "compile":
                compile_mo(language)
            elif command == "check":
                for line in problems(language):
                    sys.stderr.write(line + "\n")
                    status = 1
            else:
                sys.stderr.write(f"usage: python -m careersite.catalog [update|compile|check]\n"
                                 f"unknown command {command!r}\n")
                return 2
    return status


if __name__ == "__main__":
    raise SystemExit(main())
