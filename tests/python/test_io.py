"""Model files: round trips, and clear errors for corrupted, foreign or newer files."""
import json
import math

import pytest

import bankquant as bq


def test_round_trip_with_non_finite_values(tmp_path):
    path = tmp_path / "model.json"
    model = {"edges": [-math.inf, -1.5, 0.1 + 0.2, math.inf], "name": "age", "nested": {"x": math.nan}}
    bq.io.save_model(path, "binning", model, schema_version=2)
    doc = bq.io.load_model(path, kind="binning", max_schema_version=2)
    assert (doc.kind, doc.schema_version, doc.library_version) == ("binning", 2, bq.__version__)
    edges = bq.io.decode_floats(doc.model["edges"])
    assert edges[0] == -math.inf and edges[3] == math.inf
    assert edges[2] == 0.1 + 0.2  # the shortest round-trip representation keeps every bit
    assert math.isnan(bq.io.decode_floats(doc.model["nested"]["x"]))
    raw = json.loads(path.read_text())
    assert raw["format"] == "bankquant-model"
    assert not (tmp_path / "model.json.tmp").exists()


def test_truncated_file(tmp_path):
    path = tmp_path / "model.json"
    bq.io.save_model(path, "scorecard", {"weights": list(range(100))})
    text = path.read_text()
    path.write_text(text[: len(text) // 2])
    with pytest.raises(bq.ModelFormatError, match=r"model.json is not valid JSON \(corrupted or truncated\?\)"):
        bq.io.load_model(path, kind="scorecard")


def test_garbage_bytes(tmp_path):
    path = tmp_path / "model.json"
    path.write_bytes(b"\x00\xff\x13binary")
    with pytest.raises(bq.ModelFormatError, match="is not valid JSON"):
        bq.io.load_model(path)


def test_newer_version_wrong_kind_not_a_model_missing(tmp_path):
    path = tmp_path / "model.json"
    bq.io.save_model(path, "garch", {}, schema_version=4)
    with pytest.raises(bq.ModelFormatError, match=r"schema version 4 .* reads versions up to 1: upgrade bankquant"):
        bq.io.load_model(path, kind="garch")
    with pytest.raises(bq.ModelFormatError, match="holds a 'garch' model, expected a 'scorecard' model"):
        bq.io.load_model(path, kind="scorecard", max_schema_version=9)
    with pytest.raises(bq.ModelFormatError, match="not a bankquant model file"):
        bq.io.loads_model('{"weights": [1, 2]}')
    with pytest.raises(bq.ModelFormatError, match="cannot open model file"):
        bq.io.load_model(tmp_path / "absent.json")


def test_bad_arguments(tmp_path):
    with pytest.raises(bq.InvalidArgumentError, match="argument 'kind'"):
        bq.io.save_model(tmp_path / "m.json", "", {})
    with pytest.raises(bq.InvalidArgumentError, match="argument 'model': expected a dict"):
        bq.io.save_model(tmp_path / "m.json", "x", [1, 2])
    with pytest.raises(bq.InvalidArgumentError, match="argument 'model': not representable as JSON"):
        bq.io.save_model(tmp_path / "m.json", "x", {"f": object()})
    assert not (tmp_path / "m.json").exists()
