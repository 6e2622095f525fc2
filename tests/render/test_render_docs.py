"""The published documents agree with the code they describe."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from ssmproof import examples
from ssmproof.ssm import jsonio

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def test_published_schema_is_identical_to_the_one_the_loader_uses():
    published = (DOCS / "ssm.schema.json").read_bytes()
    packaged = (ROOT / "ssmproof" / "data" / "ssm.schema.json").read_bytes()
    assert published == packaged, "copy ssmproof/data/ssm.schema.json to docs/ssm.schema.json"


def _json_blocks(page: str) -> list[str]:
    return re.findall(r"```json\n(.*?)```", (DOCS / page).read_text(encoding="utf-8"), re.S)


def test_the_annotated_example_in_ssm_format_is_a_valid_file_and_is_contains_aa():
    blocks = [b for b in _json_blocks("ssm-format.md") if '"format": "ssmproof-ssm/1"' in b]
    assert blocks, "docs/ssm-format.md lost its example"
    example = json.loads(blocks[0])
    jsonschema.Draft202012Validator(jsonio.schema()).validate(example)
    ssm = jsonio.from_json(blocks[0], path="docs/ssm-format.md")
    assert jsonio.content_hash(ssm) == jsonio.content_hash(examples.contains_aa())


@pytest.mark.parametrize("page", ["guide.md", "model.md", "verification.md", "ssm-format.md"])
def test_every_relative_link_in_the_docs_points_at_a_file(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
        assert (DOCS / target).exists(), f"{page} links to missing {target}"


@pytest.mark.parametrize("name", ["tex", "tables", "latex", "pdf", "dot", "notebook"])
def test_render_modules_export_exactly_their_public_names(name):
    import importlib
    import inspect

    module = importlib.import_module(f"ssmproof.render.{name}")
    defined = {n for n, obj in vars(module).items()
               if not n.startswith("_") and getattr(obj, "__module__", None) == module.__name__
               and (inspect.isfunction(obj) or inspect.isclass(obj))}
    assert defined <= set(module.__all__), defined - set(module.__all__)
    assert all(hasattr(module, n) for n in module.__all__)
