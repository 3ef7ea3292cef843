"""Small invented news pages in several languages, for the decoding tests: each is a template
whose ``{head}`` is where a test puts (or leaves out) a charset declaration."""
