"""Querysets whose SQL is built once and then run with each call's values.

Building a query through the ORM (its filters, joins and the visibility
rules behind them) costs a write path more than running it: finding the
reply a vote acts on took most of the vote's time. A `Compiled` lookup builds
its queryset once, with slot values standing for what changes between calls
(a reader's id, a reply's id), remembers the SQL and where each slot's value
goes, and runs that SQL with the values of every call. The rules stay in the
queryset; only their compiled form is kept, per database connection.

The lookup returns model instances as `select_related` would: the model's
row and the related rows the given paths name, through the compiler's own
converters (dates, booleans, JSON), or None when no row matches.
"""

from django.db import connection

# Values no id takes, standing for a call's values while the SQL is built.
SLOTS = {"user": -(2**62) - 11, "reply": -(2**62) - 13}
LARGEST_ID = 2**63 - 1


def _model_at(model, path: str):
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


class Compiled:
    """One row of `queryset`'s model with its related rows, found by the
    queryset's SQL as built once (see the module's docstring)."""

    def __init__(self, queryset, related: tuple[str, ...] = ()):
        self.parts = [("", queryset.model)]
        self.parts += [(path, _model_at(queryset.model, path)) for path in related]
        columns = []
        for path, model in self.parts:
            names = [field.attname for field in model._meta.concrete_fields]
            columns += [f"{path}__{name}" if path else name for name in names]
        query = queryset.values_list(*columns)[:1].query
        self.compiler = query.get_compiler(connection=connection)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        selected = [column[0] for column in self.compiler.select]
        self.converters = self.compiler.get_converters(selected)
        self.slots = {
            name: [index for index, value in enumerate(params) if value == slot]
            for name, slot in SLOTS.items()
        }

    def first(self, **values):
        """The instance the query finds with these slot values, or None."""
        params = self.params[:]
        for name, value in values.items():
            for index in self.slots[name]:
                params[index] = value
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            (row,) = self.compiler.apply_converters([row], self.converters)
        return self._instances(row)

    def _instances(self, row):
        found, start = {}, 0
        for path, model in self.parts:
            names = [field.attname for field in model._meta.concrete_fields]
            values = row[start : start + len(names)]
            start += len(names)
            found[path] = (
                None
                if values[0] is None
                else model.from_db(connection.alias, names, values)
            )
        for path, instance in found.items():
            if not path:
                continue
            owner_path, _, name = path.rpartition("__")
            owner = found[owner_path]
            if owner is not None:
                setattr(owner, name, instance)
        return found[""]


def compiled(key: tuple, build) -> Compiled:
    """The lookup `build()` makes, built once per database connection and
    `key` (what else its SQL depends on: settings, the kind of reader)."""
    lookups = connection.__dict__.setdefault("forum_compiled", {})
    lookup = lookups.get(key)
    if lookup is None:
        lookup = lookups[key] = build()
    return lookup
