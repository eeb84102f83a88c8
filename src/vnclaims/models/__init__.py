"""The SQL model runner: model headers, order, materialisation, row hashes, scopes."""
