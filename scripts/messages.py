"""Keep the answer's translations in step with its English words.

    python scripts/messages.py           # write locale/messages.pot, merge it into every .po
    python scripts/messages.py --check   # exit 1 listing what a language lacks or breaks

The message ids are the English texts of locale/messages.toml and the taxonomy's printed
fields (scholarflow.i18n.message_ids). A new id enters every .po untranslated (the answer
says it in English until a translator fills it in); an id no longer used is dropped.
"""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from scholarflow.i18n import LANGUAGES, message_ids, problems

LOCALE = Path(str(resources.files("scholarflow.locale")))


def template() -> Catalog:
    pot = Catalog(project="scholarflow", fuzzy=False)
    for text, where in message_ids().items():
        pot.add(text, auto_comments=[where])
    return pot


def merge() -> None:
    pot = template()
    with (LOCALE / "messages.pot").open("wb") as handle:
        write_po(handle, pot, width=0, omit_header=False)
    for language in LANGUAGES[1:]:
        path = LOCALE / f"{language}.po"
        if path.exists():
            with path.open("rb") as handle:
                translated = read_po(handle, locale=language)
        else:
            translated = Catalog(locale=language, project="scholarflow")
        translated.update(pot, no_fuzzy_matching=True)
        translated.obsolete.clear()
        with path.open("wb") as handle:
            write_po(handle, translated, width=0, ignore_obsolete=True)
        print(f"{path.name}: {len(translated)} messages")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="report gaps, write nothing")
    args = parser.parse_args()
    if not args.check:
        merge()
    found = [(language, issue) for language in LANGUAGES[1:] for issue in problems(language)]
    for language, issue in found:
        print(f"{language}: {issue}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
