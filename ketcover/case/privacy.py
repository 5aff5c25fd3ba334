"""Masking a case's identifiers (member IDs, claim and reference numbers) before it is shown or saved."""

from __future__ import annotations


def mask_value(value: str) -> str:
    """Keep the last four characters, so the owner can still tell which number it is."""
    return "•" * max(0, len(value) - 4) + value[-4:] if len(value) > 4 else "•" * len(value)


def mask_case(data, identifiers: set[str]):
    """A copy of the case data with every identifier masked in every string; a changed quote says so."""
    identifiers = {i for i in identifiers if i and len(i) >= 5}
    if not identifiers:
        return data

    def walk(node):
        if isinstance(node, dict):
            result = {key: walk(value) for key, value in node.items()}
            if isinstance(node.get("quote"), str) and result["quote"] != node["quote"]:
                result["masked"] = True  # the quote is the page's words with the identifier hidden
            return result
        if isinstance(node, list):
            return [walk(value) for value in node]
        if isinstance(node, str):
            for identifier in identifiers:
                node = node.replace(identifier, mask_value(identifier))
            return node
        return node

    return walk(data)
