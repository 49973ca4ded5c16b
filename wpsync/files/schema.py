"""The JSON Schema of the campaign file format, for editors that read `#:schema` comments in TOML."""

from __future__ import annotations

import json
from typing import Any

from wpsync.files.models import Campaign


def campaign_schema() -> dict[str, Any]:
    schema = Campaign.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "wpsync campaign file"
    schema["description"] = (
        "One Woodpecker campaign; the file name is its key. Field names and values are the API's "
        "(POST /rest/v2/campaigns); steps are listed in order and each step's body is flattened into it."
    )
    return schema


def schema_json() -> str:
    return json.dumps(campaign_schema(), indent=2, sort_keys=True) + "\n"
