"""Forms of the CSV import screens: the upload, the column mapping and the final go-ahead."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Length, Optional

from app.evaluation.importing import DATE_TARGET, Table


class UploadForm(FlaskForm):
    """Choose the exported file and say where it came from."""

    file = FileField("CSV file", [
        FileRequired("Choose the CSV file to import."),
        FileAllowed(["csv", "txt"], "Choose a CSV file: its name ends in .csv."),
    ], description="Comma or semicolon separated, up to 5 MB and 50,000 rows. The first line "
                   "must name the columns.")
    source_tool = StringField(
        "Which tool did the file come from?", [Optional(), Length(max=120)],
        description="For example, the name of the outcome survey platform you used. Optional.")


class MappingForm(FlaskForm):
    """One select per CSV column: leave it out, the response date, or a question."""

    columns: list[str] = []

    def column_fields(self):
        """Yield the select of each column, in the file's order."""
        return [self[f"column_{index}"] for index in range(len(self.columns))]

    def mapping(self) -> dict[str, str]:
        """Return {column name: chosen target} for the columns that were not left out."""
        return {column: select.data for column, select in zip(self.columns, self.column_fields())
                if select.data}

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        first_column: dict[str, str] = {}
        for column, select in zip(self.columns, self.column_fields()):
            if not select.data:
                continue
            if select.data in first_column:
                label = "the date" if select.data == DATE_TARGET else "this question"
                select.errors.append(f"The column “{first_column[select.data]}” already goes "
                                     f"to {label}. Choose one of the two and leave the other "
                                     "out.")
            first_column.setdefault(select.data, column)
        return not any(select.errors for select in self.column_fields())


def build_mapping_form(table: Table, choices: list[tuple[str, str]],
                       chosen: dict[str, str]) -> type[MappingForm]:
    """Return a mapping form class with one select per column of `table`, prefilled."""
    fields = {"columns": table.columns}
    for index, column in enumerate(table.columns):
        examples = "; ".join(_short(value) for value in table.examples(index)) or "all blank"
        fields[f"column_{index}"] = SelectField(
            column, choices=choices, default=chosen.get(column, ""),
            description=f"First values: {examples}")
    return type("ColumnMappingForm", (MappingForm,), fields)


def _short(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[:limit - 1] + "…"


class ImportForm(FlaskForm):
    """The go-ahead; when the same file came in before, the person must say they mean it."""

    import_again = BooleanField("Import it again: I know this file was imported before")
