"""Presenters: the one home of display logic — labels, number formats and money scales
(:mod:`.views`), charts (:mod:`.charts`), the Markdown/HTML report (:mod:`.report`) and files
(:mod:`.writers`). They read results only through the :class:`~impactsim.ScenarioResult` API."""
