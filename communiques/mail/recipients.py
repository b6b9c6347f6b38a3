"""The mailing list: a CSV of journalists and partners (e-mail, nom, organisation).

Press offices keep these lists in a spreadsheet, so the CSV may come from Excel (semicolons,
a byte-order mark) or LibreOffice (commas). Every bad row is reported with its line number;
none reaches a message header, where a line break would let it add headers of its own.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import Diagnostic

COLUMNS = ("email", "nom", "organisation")
_ALIASES = {
    "email": "email", "e-mail": "email", "mail": "email", "courriel": "email",
    "adresse": "email", "adresse e-mail": "email", "adresse email": "email",
    "nom": "nom", "name": "nom", "prenom nom": "nom", "nom complet": "nom",
    "organisation": "organisation", "organization": "organisation", "media": "organisation",
    "redaction": "organisation", "structure": "organisation",
}  # fmt: skip


@dataclass(frozen=True)
class Recipient:
    """One addressee; `line` is where it was read, for messages about it."""

    email: str
    nom: str = ""
    organisation: str = ""
    line: int | None = None

    @property
    def key(self) -> str:
        """How the send log recognises a recipient already served."""
        return self.email.lower()


def unsafe_character(value: str) -> str | None:
    """The first character that must never reach a header: line breaks and other controls."""
    for char in value:
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") and char != "\u00ad":
            return char
    return None


def describe(char: str) -> str:
    names = {"\r": "retour chariot (CR)", "\n": "saut de ligne (LF)", "\t": "tabulation"}
    return names.get(char, f"caractère de contrôle U+{ord(char):04X}")


def check_address(value: str) -> str:
    """The address in its ASCII form (domain in punycode), or ValueError with a French reason."""
    from email_validator import EmailNotValidError, validate_email

    if char := unsafe_character(value):
        raise ValueError(f"{describe(char)} interdit dans une adresse")
    try:
        checked = validate_email(value.strip(), check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        raise ValueError(f"adresse e-mail invalide « {value.strip()} »") from None
    return str(checked.ascii_email or checked.normalized)


def from_addresses(addresses: Iterable[str]) -> list[Recipient]:
    """Recipients given with --to; raises ValueError naming the first bad one."""
    return [Recipient(check_address(address)) for address in addresses]


def read_csv(path: Path) -> tuple[list[Recipient], list[Diagnostic]]:
    """The valid recipients, and one error per bad row (or for the whole file)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        message = "le fichier n'est pas en UTF-8 : enregistrez-le en « CSV UTF-8 »"
        return [], [Diagnostic(path, line, 1, "", message)]
    except OSError as exc:
        return [], [Diagnostic(path, 1, 1, "", f"lecture impossible ({exc.strerror})")]
    return parse_csv(text, path)


def parse_csv(text: str, path: Path) -> tuple[list[Recipient], list[Diagnostic]]:
    """Line by line: a quote left open is an error on its own line, never a field that
    swallows the rows after it. (A quoted value may span two lines only if that closes it:
    the row is then refused for its line break, which must never reach a header.)"""
    lines = _LINE.findall(text)
    first = next((line for line in lines if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    errors: list[Diagnostic] = []
    recipients: list[Recipient] = []
    seen: dict[str, int] = {}
    columns: list[str] | None = None
    numbered = iter(enumerate(lines, start=1))
    for line, physical in numbered:
        try:
            row = _parse(physical.rstrip("\r\n"), delimiter)
        except csv.Error as exc:
            joined = _joined(physical, lines[line] if line < len(lines) else None, delimiter)
            if joined is None:
                errors.append(Diagnostic(path, line, 1, "", _unreadable(str(exc))))
                continue
            row = joined
            next(numbered)
        if not any(cell.strip() for cell in row):
            continue
        if columns is None:
            columns, is_header, header_errors = _columns(row, path, line)
            if header_errors:
                return [], header_errors
            if is_header:
                continue
        recipient, row_errors = _row(row, columns, path, line)
        errors.extend(row_errors)
        if recipient is None:
            continue
        if recipient.key in seen:
            message = f"adresse en double (déjà ligne {seen[recipient.key]})"
            errors.append(Diagnostic(path, line, 1, "email", message))
            continue
        seen[recipient.key] = line
        recipients.append(recipient)
    if columns is None:
        errors.append(Diagnostic(path, 1, 1, "", "aucun destinataire dans le fichier"))
    return recipients, errors


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _parse(record: str, delimiter: str) -> list[str]:
    return next(csv.reader([record], delimiter=delimiter, strict=True), [])


def _joined(line: str, following: str | None, delimiter: str) -> list[str] | None:
    """The row made of `line` and the next one, if together they close its quote."""
    if following is None:
        return None
    try:
        return _parse(line + following.rstrip("\r\n"), delimiter)
    except csv.Error:
        return None


def _unreadable(reason: str) -> str:
    if reason == "unexpected end of data":
        return "CSV illisible : guillemet non fermé ; fermez-le, ou retirez-le"
    return (
        "CSV illisible : guillemet au milieu d'une valeur ; mettez toute la valeur entre "
        "guillemets et doublez ceux qu'elle contient"
    )


def _columns(row: list[str], path: Path, line: int) -> tuple[list[str], bool, list[Diagnostic]]:
    """The columns and whether `row` was a header: a first row with an address is data, in
    the default order (e-mail, nom, organisation)."""
    if any("@" in cell for cell in row):
        return list(COLUMNS), False, []
    names = [_ALIASES.get(_plain(cell)) for cell in row]
    errors = []
    for cell, name in zip(row, names, strict=True):
        if name is None:
            message = f"colonne inconnue « {cell.strip()} » (colonnes : {', '.join(COLUMNS)})"
            errors.append(Diagnostic(path, line, 1, "", message))
    known = [name for name in names if name]
    for name in sorted(set(known)):
        if known.count(name) > 1:
            errors.append(Diagnostic(path, line, 1, name, "colonne en double"))
    if not errors and "email" not in known:
        errors.append(Diagnostic(path, line, 1, "", "colonne « email » manquante"))
    return [name or "" for name in names], True, errors


def _plain(cell: str) -> str:
    text = unicodedata.normalize("NFKD", cell.strip().lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("_", " ")


def _row(
    row: list[str], columns: list[str], path: Path, line: int
) -> tuple[Recipient | None, list[Diagnostic]]:
    """Column numbers in messages would mislead (editors count characters): the field names
    the column."""
    errors: list[Diagnostic] = []
    if len(row) > len(columns) and any(cell.strip() for cell in row[len(columns) :]):
        message = f"{len(row)} valeurs pour {len(columns)} colonnes"
        return None, [Diagnostic(path, line, 1, "", message)]
    values = {name: cell for name, cell in zip(columns, row, strict=False)}
    for name in ("nom", "organisation"):
        if char := unsafe_character(values.get(name, "")):
            errors.append(Diagnostic(path, line, 1, name, f"{describe(char)} interdit"))
    address = values.get("email", "")
    if not address.strip():
        errors.append(Diagnostic(path, line, 1, "email", "adresse vide"))
    else:
        try:
            address = check_address(address)
        except ValueError as exc:
            errors.append(Diagnostic(path, line, 1, "email", str(exc)))
    if errors:
        return None, errors
    nom = values.get("nom", "").strip()
    return Recipient(address, nom, values.get("organisation", "").strip(), line), []
