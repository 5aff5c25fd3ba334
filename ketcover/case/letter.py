"""A draft appeal letter from the case: the documents' own words with page citations; unknowns stay [placeholders]."""

from __future__ import annotations

from ketcover.case import vocab


def _flat(text: str) -> str:
    return " ".join(str(text).split())


def quoted(item: dict) -> str:
    """A quotation as the letter prints it: the page's words (line breaks as spaces), the file and the page."""
    return f"“{_flat(item['quote'])}” ({item['file']}, p. {item['page']})"


def _long_date(iso: str | None) -> str:
    if not iso:
        return "[date of the denial letter]"
    from datetime import date

    day = date.fromisoformat(iso)
    return f"{day.strftime('%B')} {day.day}, {day.year}"


def appeal_letter(case: dict, profile: dict | None) -> dict:
    """Blocks (for HTML) and the same letter as Markdown; `quotes` lists every quotation with its citation."""
    profile = profile or {}
    denial = case["denial"]
    blocks: list[dict] = []
    quotes: list[dict] = []

    def para(text: str):
        blocks.append({"type": "para", "text": text})

    def quote(item: dict, lead: str = ""):
        quotes.append({k: item[k] for k in ("file", "page", "quote")})
        blocks.append({"type": "quote", "lead": lead, "text": _flat(item["quote"]), "file": item["file"], "page": item["page"]})

    name = profile.get("name") or "[Your full name]"
    member_id = profile.get("member_id") or (denial.get("member_id") or {}).get("value") or "[Member ID]"
    reference = (denial.get("reference") or {}).get("value") or "[reference or claim number]"
    service = _flat((denial.get("service") or {}).get("text") or "[the service or drug denied]")
    service_short = service.split(";")[0].split(",")[0]
    notice = _long_date((denial.get("date") or {}).get("date"))
    blocks.append({"type": "lines", "lines": [name, profile.get("address") or "[Your address]",
                                              profile.get("phone") or "[Your daytime telephone]", "[Today's date]"]})
    send_to = denial.get("send_appeal_to") or []
    if send_to:
        para("Send to the address, fax number or telephone number the denial letter gives:")
        quote(send_to[0])
    else:
        para("To: [the plan's appeals address from your denial letter]")
    blocks.append({"type": "heading", "text": f"Appeal of the denial of {service_short}"})
    blocks.append({"type": "lines", "lines": [f"Member: {name}", f"Member ID: {member_id}", f"Reference number: {reference}",
                                              f"Date of the denial notice: {notice}"]})
    para("To the Appeals Unit:")
    para(f"I am appealing your decision of {notice} to deny {service}. I ask you to reverse it and approve the treatment "
         f"my prescriber, {profile.get('prescriber_name') or '[prescriber name]'}, has requested.")
    if denial.get("reason"):
        para("Your letter gives this reason for the denial:")
        for item in denial["reason"][:2]:
            quote(item)
    checklist = case.get("checklist") or {}
    if checklist.get("items"):
        first = checklist["items"][0]
        para(f"Your policy's criteria ({first['file']}) and how I meet each one:")
        for number, item in enumerate(checklist["items"], start=1):
            quote(item, lead=f"Criterion {number}:")
            if item["status"] == "met":
                para(f"This criterion is met: {item['reason']} [Attach the record that shows this.]")
            elif item["status"] == "not_met":
                para(f"[Explain why this criterion should not stop approval, or what has changed: {item['reason']}]")
            else:
                para(f"[What your records show for this criterion; ketcover could not tell: {item['reason']}]")
    for flag in case.get("flags", []):
        if flag["code"] == "stricter_than_label":
            para("The policy's requirement of a concurrent oral antidepressant is stricter than the current FDA label:")
            quote(flag)
            para(f"{vocab.load('checklist')['label_facts'][0]['fact']} Source: {flag['label_source']}.")
    para("Enclosed: [check what you send]")
    gathered = [g for g in case.get("documents_to_gather", []) if g["from"] == "denial_letter" and g["file"] == denial["file"]]
    enclosed = [f"[ ] {_flat(g['item'])}" for g in gathered[:6]]
    if not any("medical necessity" in line for line in enclosed):
        enclosed.insert(0, "[ ] Letter of medical necessity from my prescriber")
    blocks.append({"type": "list", "items": enclosed + ["[ ] [Other records you send]"]})
    deadline = next((d for d in case["deadlines"]["items"] if d["source"] == "document" and d["what"] == "File an internal appeal"
                     and d["file"] == denial["file"]), None) or next(
        (d for d in case["deadlines"]["items"] if d["what"] == "File an internal appeal"), None)
    if deadline:
        when = f"by {_long_date(deadline['due'])}" if deadline.get("due") else f"within {deadline['period']}"
        if deadline["source"] == "document":
            para(f"I am filing this appeal within the time your letter allows ({when}):")
            quote(deadline)
        else:
            para(f"I am filing this appeal within the time the law allows ({when}; {deadline['citation']}).")
    para("Please send me, free of charge, copies of all documents, records and other information relevant to my claim, "
         "including the claim file, the medical policy and the clinical criteria used to decide it, and the name and "
         "qualifications of the reviewer (29 CFR 2560.503-1(h)(2)(iii) for employer plans). [If waiting could seriously "
         "harm your health: I ask for an expedited appeal.]")
    external = next((d for d in case["deadlines"]["items"] if d["source"] == "document" and d["what"] == "Request external review"), None)
    if external:
        para("If you uphold the denial, I will ask for an external review by an independent review organization, as your letter describes:")
        quote(external)
    else:
        para("If you uphold the denial, I will ask for an external review by an independent review organization.")
    para("Sincerely,")
    blocks.append({"type": "lines", "lines": [name, f"cc: {profile.get('prescriber_name') or '[prescriber name]'}"]})
    return {"blocks": blocks, "quotes": quotes, "markdown": to_markdown(blocks)}


def to_markdown(blocks: list[dict]) -> str:
    out = []
    for block in blocks:
        if block["type"] == "heading":
            out.append(f"## {block['text']}")
        elif block["type"] == "para":
            out.append(block["text"])
        elif block["type"] == "quote":
            lead = f"{block['lead']} " if block["lead"] else ""
            out.append(f"> {lead}“{block['text']}” ({block['file']}, p. {block['page']})")
        elif block["type"] == "lines":
            out.append("  \n".join(block["lines"]))
        elif block["type"] == "list":
            out.append("\n".join(f"- {item}" for item in block["items"]))
    return "\n\n".join(out) + "\n"
