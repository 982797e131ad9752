"""The encrypted store: SQLCipher engine, key slots, users, cases, drafts, search, audit."""
