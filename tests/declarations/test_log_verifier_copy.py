"""The standalone verifier on whole log copies and receipts: each tampering has its own code."""

import copy as copying
import json
import string
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from concord.declarations.log import verifier as v
from tests.declarations.log_copies import build_copy, make_receipt, sign

VERIFIER = Path(v.__file__)
COPY = build_copy()


def fresh() -> dict:
    return copying.deepcopy(COPY)


def codes(problems: list[v.Problem]) -> list[str]:
    return [p.code for p in problems]


def live_indexes(copy: dict) -> list[int]:
    return [e["index"] for e in copy["leaves"] if e.get("signatory")]


def undone_by(copy: dict, event: str) -> tuple[int, int]:
    leaf = next(e["leaf"] for e in copy["leaves"] if e["leaf"]["event"] == event)
    return leaf["undoes"], leaf["seq"]


def test_the_built_copy_has_withdrawals_invalidations_and_verifies_clean():
    events = {e["leaf"]["event"] for e in COPY["leaves"]}
    assert events == {"confirmed", "imported", "withdrawn", "invalidated"}
    assert v.verify_copy(COPY) == []
    assert v.replay([e["leaf"] for e in COPY["leaves"]]) == COPY["heads"][-1]["statistics"]
    stats = COPY["statistics"]
    assert (
        stats["signatures"]
        == len(live_indexes(COPY))
        == stats["organisations"] + stats["individuals"]
    )
    assert stats["countries"] == len(
        {COPY["leaves"][i]["leaf"]["country"] for i in live_indexes(COPY)}
    )


def test_a_removed_leaf_is_reported():
    copy = fresh()
    del copy["leaves"][30]
    problems = v.verify_copy(copy)
    assert codes(problems)[0] == "leaf_index"
    assert "leaves_missing" in codes(problems)
    assert problems[0].params == {"position": 30, "index": 31}


def test_an_altered_country_breaks_the_roots_from_that_leaf_on():
    copy = fresh()
    index = live_indexes(copy)[12]
    copy["leaves"][index]["leaf"]["country"] = "ZZ"
    problems = v.verify_copy(copy)
    assert {p.params["size"] for p in problems if p.code == "head_root"} == {
        h["size"] for h in copy["heads"] if h["size"] > index
    }
    assert "signatory_mismatch" in codes(problems)


def test_a_counted_leaf_without_its_signatory_is_reported():
    copy = fresh()
    index = live_indexes(copy)[3]
    copy["leaves"][index]["signatory"] = None
    problems = v.verify_copy(copy)
    assert codes(problems) == ["signatory_missing"]
    assert problems[0].message() == (
        f"Leaf {index} is counted in the log but its signatory is not in the list."
    )


def test_a_signatory_shown_with_other_fields_or_unlisted_is_reported():
    copy = fresh()
    named = [i for i in live_indexes(copy) if "fields" in copy["leaves"][i]["signatory"]]
    copy["leaves"][named[0]]["signatory"]["fields"]["name"] = "Someone Else"
    copy["leaves"][named[1]]["signatory"]["listed"] = False
    copy["leaves"][named[2]]["signatory"]["kind"] = "organisation" if copy["leaves"][named[2]]["leaf"]["kind"] == "individual" else "individual"  # fmt: skip
    assert codes(v.verify_copy(copy)) == [
        "signatory_fields",
        "signatory_unlisted",
        "signatory_mismatch",
    ]


def test_a_head_with_a_bad_signature_is_reported_in_words():
    copy = fresh()
    sign(copy["heads"][1], Ed25519PrivateKey.generate())
    problems = v.verify_copy(copy)
    assert codes(problems) == ["head_signature"]
    assert problems[0].message() == (
        "The signature of the tree head of size 25 made at 2026-12-02T18:00:00Z "
        "is not valid for this public key."
    )


def test_heads_out_of_order_are_reported():
    copy = fresh()
    copy["heads"][1], copy["heads"][2] = copy["heads"][2], copy["heads"][1]
    assert codes(v.verify_copy(copy)) == ["head_order"]


def test_an_inconsistent_head_is_reported():
    other = build_copy(mutate=lambda leaves: leaves[3].update(day="2026-01-01"))
    copy = fresh()
    copy["heads"][2] = other["heads"][2]
    assert codes(v.verify_copy(copy)) == ["head_root", "head_consistency", "head_consistency"]


def test_signed_statistics_off_by_one_are_reported():
    copy = fresh()
    copy["heads"][2]["statistics"]["countries"] -= 1
    sign(copy["heads"][2])
    problems = v.verify_copy(copy)
    assert codes(problems) == ["head_statistics"]
    assert problems[0].params["key"] == "countries"


def test_published_statistics_are_compared_only_once_the_declaration_is_closed():
    closed = fresh()
    closed["statistics"]["signatures"] += 1
    assert codes(v.verify_copy(closed)) == ["statistics"]
    still_open = build_copy(closed=False)
    still_open["statistics"]["signatures"] += 1
    assert v.verify_copy(still_open) == []


def test_undoing_what_was_not_counted_or_with_other_hashes_is_reported():
    withdrawn_twice = build_copy(mutate=lambda ls: ls[13].update(undoes=ls[4]["undoes"]))
    assert "undo_target" in codes(v.verify_copy(withdrawn_twice))
    other_email = build_copy(mutate=lambda ls: ls[4].update(email="00" * 32))
    assert "undo_mismatch" in codes(v.verify_copy(other_email))
    other_slug = build_copy(mutate=lambda ls: ls[8].update(declaration="another-call"))
    assert "leaf_declaration" in codes(v.verify_copy(other_slug))


def test_unreadable_copies_are_reported_not_raised():
    assert codes(v.verify_copy({"declaration": "x"})) == ["copy_malformed"]
    copy = fresh()
    copy["heads"][0]["root"] = "not hex"
    assert "copy_malformed" in codes(v.verify_copy(copy))


def test_a_good_receipt_verifies_alone_and_against_the_copy():
    index = live_indexes(COPY)[-1]
    for head in (-1, -2, -3):
        receipt = make_receipt(COPY, index, head) if COPY["heads"][head]["size"] > index else None
        if receipt:
            assert v.verify_receipt(receipt) == []
            assert v.verify_receipt(receipt, COPY) == []


def test_a_receipt_for_another_declaration_is_reported():
    other = build_copy(slug="another-call")
    receipt = make_receipt(other, live_indexes(other)[0])
    assert v.verify_receipt(receipt) == []
    assert codes(v.verify_receipt(receipt, COPY)) == ["receipt_other_declaration"]
    receipt["declaration"] = COPY["declaration"]
    assert codes(v.verify_receipt(receipt)) == [
        "receipt_leaf_declaration",
        "receipt_head_declaration",
    ]


def test_a_receipt_with_an_altered_leaf_is_reported():
    receipt = make_receipt(COPY, live_indexes(COPY)[5])
    receipt["leaf"]["kind"] = (
        "organisation" if receipt["leaf"]["kind"] == "individual" else "individual"
    )
    assert codes(v.verify_receipt(receipt)) == ["receipt_inclusion"]
    assert codes(v.verify_receipt(receipt, COPY)) == ["receipt_inclusion", "receipt_leaf_differs"]


def test_a_receipt_with_a_wrong_proof_or_index_is_reported():
    receipt = make_receipt(COPY, live_indexes(COPY)[5])
    receipt["inclusion"][1] = "00" * 32
    assert codes(v.verify_receipt(receipt, COPY)) == ["receipt_inclusion"]
    receipt = make_receipt(COPY, live_indexes(COPY)[5])
    receipt["index"] += 1
    assert "receipt_index" in codes(v.verify_receipt(receipt))


def test_a_receipt_with_a_forged_head_is_reported():
    receipt = make_receipt(COPY, live_indexes(COPY)[5])
    sign(receipt["head"], Ed25519PrivateKey.generate())
    assert codes(v.verify_receipt(receipt)) == ["head_signature"]
    receipt = make_receipt(COPY, live_indexes(COPY)[5])
    receipt["head"]["root"] = "11" * 32
    sign(receipt["head"])  # the platform's key, but a tree the copy does not have
    assert "receipt_head_unknown" in codes(v.verify_receipt(receipt, COPY))


def test_a_receipt_for_a_head_not_in_the_copy_but_consistent_with_it_is_accepted():
    smaller = build_copy(sizes=(33,))
    index = max(i for i in live_indexes(smaller) if i < 33)
    assert v.verify_receipt(make_receipt(smaller, index), COPY) == []


def test_a_receipt_whose_signature_was_withdrawn_or_invalidated_later_says_so():
    index, by = undone_by(COPY, "withdrawn")
    problems = v.verify_receipt(make_receipt(COPY, index), COPY)
    assert codes(problems) == ["receipt_withdrawn"]
    assert problems[0].params == {"index": index, "by": by}
    index, by = undone_by(COPY, "invalidated")
    problems = v.verify_receipt(make_receipt(COPY, index), COPY)
    assert codes(problems) == ["receipt_invalidated"]
    assert problems[0].message().endswith(f"by leaf {by}, for the reason “duplicate”.")


def test_every_code_has_an_english_template():
    for code, template in v.CODES.items():
        params = {name: f"<{name}>" for _, name, _, _ in string.Formatter().parse(template) if name}
        message = v.Problem(code, params).message()
        assert message.endswith(".") and "{" not in message


def run_cli(tmp_path: Path, copy: dict, receipt: dict) -> subprocess.CompletedProcess:
    (tmp_path / "copy.json").write_text(json.dumps(copy), encoding="utf-8")
    (tmp_path / "r.json").write_text(json.dumps(receipt), encoding="utf-8")
    # -I: isolated, run from elsewhere, so the file proves it needs nothing from Concord
    command = [sys.executable, "-I", str(VERIFIER), "copy.json", "--receipt", "r.json"]
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60)


def test_the_command_line_says_ok_for_a_good_copy(tmp_path):
    done = run_cli(tmp_path, COPY, make_receipt(COPY, live_indexes(COPY)[0]))
    newest, stats = COPY["heads"][-1], COPY["statistics"]
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[0] == (
        f"OK: 60 leaves, 4 heads, newest head 60 at {newest['time']}; "
        f"{stats['signatures']} signatures from {stats['countries']} countries"
    )


def test_the_command_line_prints_each_problem_and_fails(tmp_path):
    copy = fresh()
    index = live_indexes(copy)[3]
    copy["leaves"][index]["signatory"] = None
    withdrawn, by = undone_by(copy, "withdrawn")
    done = run_cli(tmp_path, copy, make_receipt(copy, withdrawn))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"Leaf {index} is counted in the log but its signatory is not in the list.",
        f"r.json: The signature of this receipt (leaf {withdrawn}) was withdrawn later, by leaf {by}.",
    ]
