"""The project's layout rules, checked by `make lint`: each model in its layer's folder, schemas per folder.

A model's name prefix says its layer (`stg_`/`base_` staging, `int_` intermediate, `fct_`/`dim_`
marts), and the layer's folder under models/ is where its file must sit. Schemas are set once per
layer in dbt_project.yml: no model file, model YAML or deeper dbt_project.yml block sets its own.

Run it as `python -m casebook.layout [PROJECT_DIR]`; it prints one line per problem and exits 1 if any.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

LAYER_OF_PREFIX = {
    "stg_": "staging",
    "base_": "staging",
    "int_": "intermediate",
    "fct_": "marts",
    "dim_": "marts",
}
LAYERS = frozenset(LAYER_OF_PREFIX.values())
# `schema=` inside dbt.config(...) or config(...) of a model file.
PER_LAYER = "schemas are set per layer in dbt_project.yml"
SCHEMA_IN_CODE = re.compile(r"\bconfig\s*\([^)]*\bschema\s*=", re.DOTALL)


def model_files(models_dir: Path) -> Iterator[Path]:
    for path in sorted(models_dir.rglob("*")):
        if path.suffix in {".sql", ".py"} and path.is_file():
            yield path


def misplaced_models(root: Path) -> Iterator[str]:
    """A model whose name prefix names another layer than the folder it sits in (or no layer at all)."""
    models_dir = root / "models"
    for path in model_files(models_dir):
        relative = path.relative_to(root)
        folder_layer = path.relative_to(models_dir).parts[0]
        prefix = next((p for p in LAYER_OF_PREFIX if path.stem.startswith(p)), None)
        if prefix is None:
            yield f"{relative}: a model name starts with one of {', '.join(LAYER_OF_PREFIX)}"
        elif LAYER_OF_PREFIX[prefix] != folder_layer:
            yield f"{relative}: {prefix} models belong in models/{LAYER_OF_PREFIX[prefix]}/"


def schemas_set_in_model_files(root: Path) -> Iterator[str]:
    for path in model_files(root / "models"):
        if SCHEMA_IN_CODE.search(path.read_text()):
            yield f"{path.relative_to(root)}: sets its own schema; {PER_LAYER}"


def schemas_set_in_model_yaml(root: Path) -> Iterator[str]:
    for path in sorted((root / "models").rglob("*.yml")):
        spec = yaml.safe_load(path.read_text()) or {}
        for model in spec.get("models") or []:
            if "schema" in (model.get("config") or {}):
                yield f"{path.relative_to(root)}: model {model['name']} sets its own schema; {PER_LAYER}"


def schemas_below_layers(root: Path) -> Iterator[str]:
    """`+schema` in dbt_project.yml only on the layer folders (models.<project>.<layer>)."""
    project = yaml.safe_load((root / "dbt_project.yml").read_text())
    name = project["name"]

    def walk(block: dict, where: list[str]) -> Iterator[str]:
        for key, value in block.items():
            if key in {"+schema", "schema"} and where[:1] == [name] and len(where) != 2:
                block_path = ".".join(where)
                yield f"dbt_project.yml: models.{block_path} sets a schema; set it on a layer folder only"
            if isinstance(value, dict) and not key.startswith("+"):
                yield from walk(value, [*where, key])

    yield from walk(project.get("models") or {}, [])


def problems(root: Path) -> list[str]:
    return [
        *misplaced_models(root),
        *schemas_set_in_model_files(root),
        *schemas_set_in_model_yaml(root),
        *schemas_below_layers(root),
    ]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path.cwd()
    found = problems(root)
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
