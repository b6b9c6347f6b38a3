"""A generator of realistic synthetic press-office archives, for tests and benchmarks.

N communiqués spread over several years, from a few organisations and programmes, in the
three modèles, with bodies of varied length and 0 to 60 laureates. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "daect"

ORGANISATIONS = {
    "daect": None,  # copied from the example press office
    "region-bretagne": (
        "Région Bretagne",
        "la",
        "Conseil régional",
        "283, avenue du Général Patton, 35700 Rennes",
        "02 99 27 10 10",
        "presse@bretagne.bzh",
    ),
    "amf": (
        "Association des maires de France",
        "l'",
        "Fédération des élus locaux",
        "41, quai d'Orsay, 75007 Paris",
        "01 44 18 14 14",
        "presse@amf.asso.fr",
    ),
}
PROGRAMMES = ["expe-ct", "jumelages", "solidarite-climat"]
WORDS = [
    "coopération",
    "décentralisée",
    "collectivités",
    "territoriales",
    "expertise",
    "partenariat",
    "international",
    "développement",
    "durable",
    "gouvernance",
    "locale",
    "jeunesse",
    "culture",
    "eau",
    "assainissement",
    "mobilité",
    "formation",
    "élus",
    "agents",
    "projets",
    "territoires",
    "solidarité",
    "innovation",
    "numérique",
    "santé",
    "climat",
    "transition",
    "énergétique",
    "patrimoine",
    "tourisme",
    "échanges",
    "étudiants",
    "Europe",
    "Afrique",
    "Asie",
]
TYPES = ["region", "departement", "commune", "intercommunalite", "association"]
PLACES = ["Nantes", "Lyon", "Lille", "Bordeaux", "Metz", "Brest", "Dijon", "Tours", "Pau", "Caen"]


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(8, 22)) for _ in range(rng.randint(2, 4)))


def generate(root: Path, count: int, seed: int = 2021) -> list[Path]:
    """Write a press office with `count` communiqués into `root`; returns their paths."""
    rng = random.Random(seed)
    for sub in ("communiques", "organisations", "programmes", "assets/logos"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE / "communiques.toml", root / "communiques.toml")  # marks the office
    shutil.copy(EXAMPLE / "organisations" / "daect.yaml", root / "organisations" / "daect.yaml")
    shutil.copy(EXAMPLE / "assets" / "logos" / "daect.png", root / "assets" / "logos" / "daect.png")
    shutil.copy(EXAMPLE / "programmes" / "expe-ct.yaml", root / "programmes" / "expe-ct.yaml")
    for ident, values in ORGANISATIONS.items():
        if values is None:
            continue
        nom, article, tutelle, adresse, telephone, email = values
        (root / "organisations" / f"{ident}.yaml").write_text(
            f"nom: {q(nom)}\narticle: {q(article)}\ntutelles: [{q(tutelle)}]\nadresse: {q(adresse)}\n"
            f"logo: logos/daect.png\ncontacts:\n  - {{nom: Service presse, telephone: {q(telephone)}, email: {q(email)}}}\n",
            encoding="utf-8",
        )
    for ident in PROGRAMMES[1:]:
        (root / "programmes" / f"{ident}.yaml").write_text(
            f"nom: {ident.upper()}\nintitule: {q('programme ' + ' '.join(rng.choice(WORDS) for _ in range(6)))}\n"
            f"lancement: 20{rng.randint(15, 19)}-0{rng.randint(1, 9)}\n"
            f"objectifs:\n  - {q('accompagner ' + ' '.join(rng.choice(WORDS) for _ in range(10)))}\n"
            f"  - {q('renforcer ' + ' '.join(rng.choice(WORDS) for _ in range(8)))}\n"
            f"presentation: {q(paragraph(rng))}\nappel: {q('Votre collectivité est-elle candidate ?')}\n"
            f"url_procedure: https://exemple.fr/{ident}/procedure\n"
            # Like the seed, most programmes link to their list of laureates; one prints it.
            + (
                f"url_laureats: https://exemple.fr/{ident}/laureats\n"
                if ident == "jumelages"
                else ""
            ),
            encoding="utf-8",
        )
    start = dt.date(2016, 1, 4)
    paths = []
    for index in range(count):
        day = start + dt.timedelta(days=index * 3000 // max(count, 1) + rng.randint(0, 2))
        modele = rng.choice(["communique", "annonce-laureats", "annonce-comite"])
        emetteur = rng.choice(list(ORGANISATIONS))
        lines = [
            f"modele: {modele}",
            f"lieu: {rng.choice(PLACES)}",
            f"date: {day.isoformat()}",
            f"emetteur: {emetteur}",
            f"titre: {q(sentence(rng, rng.randint(4, 11))[:-1])}",
        ]
        if rng.random() < 0.5:
            lines.append(f"sous_titre: {q(sentence(rng, rng.randint(4, 9))[:-1])}")
        if modele == "communique":
            lines.append(f"chapo: {q(sentence(rng, 20))}")
        else:
            lines.append(f"programme: {rng.choice(PROGRAMMES)}")
            comite = (
                day - dt.timedelta(days=20)
                if modele == "annonce-laureats"
                else day + dt.timedelta(days=40)
            )
            lines += ["comite:", f"  date: {comite.isoformat()}"]
            if modele == "annonce-comite":
                lines.append(f"  date_limite: {(comite - dt.timedelta(days=10)).isoformat()}")
            else:
                lines.append("  laureats:" + ("" if rng.random() > 0.05 else " []"))
                if not lines[-1].endswith("[]"):
                    for number in range(rng.randint(1, 60)):
                        lines.append(
                            f"    - {{nom: {q(f'Collectivité {number + 1} de {rng.choice(PLACES)}')}, type: {rng.choice(TYPES)}}}"
                        )
        body = "\n\n".join(paragraph(rng) for _ in range(rng.randint(1, 4)))
        lines.append(
            "corps: |\n" + "\n".join(f"  {line}" if line else "" for line in body.splitlines())
        )
        path = root / "communiques" / f"{day.isoformat()}-{index:05d}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    target, number = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 200
    print(f"{len(generate(target, number))} communiqués dans {target}")
