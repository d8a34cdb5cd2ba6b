"""Import: a plan kh-gen did not write (a DOCX made in Word, or its text) → a form.

`import_plan` is the library function behind `kh-gen import`. The package is split by job:
`docx_reader` and `text_reader` read files safely (with `safexml` and `legacy`), `recognise`
finds the plan's parts (helped by `header`, `tree`, `tasks`, `labels`, `citations`),
`matching` links paragraphs to the catalogue, `form_writer` writes the YAML and `report` says
what happened.
"""

from .api import ImportResult, import_plan, read_source
from .report import Report

__all__ = ["ImportResult", "Report", "import_plan", "read_source"]
