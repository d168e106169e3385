"""The demo's sections, one module per library module: each has `section(out: Path) -> str`.

ORDER lists them in the order the report shows them; a module adds its name here.
"""
ORDER = ["core", "scorecard", "risk", "graph", "portfolio", "forecast", "staffing"]
