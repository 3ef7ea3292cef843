"""The database: models, engine and units of work, migrations, fast statements, the writer queue, caches."""
