"""Querysets whose SQL is built once and then run with each call's values.

Building a query through the ORM (its filters, joins and the visibility
rules behind them) costs a write path more than running it: finding the
reply a vote acts on took most of the vote's time. A `Compiled` lookup builds
its queryset once, with slot values standing for what changes between calls
(a reader's, a reply's or a thread's id), remembers the SQL and where each slot's value
goes, and runs that SQL with the values of every call. The rules stay in the
queryset; only their compiled form is kept, once per process. Lookups run
on the default database, in whatever thread asks (the compiler holds
Django's connection proxy, which resolves to the thread's connection).

The lookup returns model instances as `select_related` would: the model's
row and the related rows the given paths name, with the queryset's
annotations as attributes, through the compiler's own converters (dates,
booleans, JSON): the first (`first()`, None when no row matches) or all
(`all()`), or its rows as read, made instances later (`raw()`, then
`instances()`). A related path may be given with the only fields to read
(`("author", ("id", "username"))`): the others are deferred, as `only()`
leaves them. A slot may stand for a list of ids (`ids` values, one lookup
per length of the list).

On SQLite the values the queryset fixed (a status, a threshold from the
settings) are written into the SQL as literals; only the slots are bound.
SQLite plans a statement again at every run when a bound value may decide
whether a partial index applies (a reply's status, which forum_reply_held
names): the lookup of the reply a vote acts on spent three quarters of its
time being planned. On PostgreSQL the statement runs prepared
(forum/infra/prepared.py), with the same literals, so that the plan made
once for it can use such an index.

Rows become instances as `Model.from_db` makes them, or, for a model whose
fields are plain attributes and that no code watches being initialised
(no pre_init or post_init receiver, no own `__init__` or `from_db`), by
setting those attributes directly: the same instance in a fifth of the time,
which a page of a hundred rows notices.
"""

import math
import re
from datetime import datetime
from operator import itemgetter

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Model, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

from forum.infra import prepared

# Values no id takes, standing for a call's values while the SQL is built.
SLOTS = {"user": -(2**62) - 11, "reply": -(2**62) - 13, "thread": -(2**62) - 17}
LARGEST_ID = 2**63 - 1


def ids(count: int) -> list[int]:
    """Slot values standing for a list of `count` ids."""
    return [-(2**61) - index for index in range(count)]


def _literal(value, vendor: str) -> str | None:
    """A value as the database reads it written in a statement, or None when
    it is left bound (anything but booleans, whole numbers, finite numbers
    and text; on PostgreSQL, text holding a backslash, which a server's
    settings may read as an escape)."""
    if isinstance(value, bool) and vendor != "sqlite":
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float) and math.isfinite(value):
        return float.__repr__(value)
    if isinstance(value, str) and (vendor == "sqlite" or "\\" not in value):
        return "'{}'".format(str.__str__(value).replace("'", "''"))
    return None


def _written_out(sql: str, params: list, bound: set, vendor: str) -> tuple[str, list]:
    """`sql` with each parameter whose value is not in `bound` written in as
    a literal where it can be, and the parameters left."""
    pieces, left, index = [], [], 0
    for piece in re.split(r"(%%|%s)", sql):
        if piece == "%s":
            value = params[index]
            index += 1
            slot = isinstance(value, int) and value in bound
            literal = None if slot else _literal(value, vendor)
            if literal is None:
                left.append(value)
            else:
                piece = literal.replace("%", "%%")
        pieces.append(piece)
    return "".join(pieces), left


def _attnames(model, only) -> list[str]:
    """The columns read of a model's row: all, or the fields named."""
    fields = model._meta.concrete_fields
    if only is not None:
        fields = [field for field in fields if field.name in only]
    return [field.attname for field in fields]


def _plain(model) -> bool:
    """Whether an instance of the model is only its fields' values: what
    Model.__init__ does besides setting them is not needed."""
    return (
        model.__init__ is Model.__init__
        and model.from_db.__func__ is Model.from_db.__func__
        and not signals.pre_init.has_listeners(model)
        and not signals.post_init.has_listeners(model)
        and all(
            type(getattr(model, field.attname, None))
            in (DeferredAttribute, ForeignKeyDeferredAttribute)
            for field in model._meta.concrete_fields
        )
    )


def _builder(model, names: list[str]):
    """A function making an instance of the model from a row's values for
    these columns, as loaded from the database (the others deferred)."""
    # Lookups run on the default database (the module's docstring): its
    # alias named once, not read through the connection proxy per row.
    if not _plain(model):
        return lambda values: model.from_db(DEFAULT_DB_ALIAS, names, values)
    new = object.__new__

    def build(values):
        instance = new(model)
        instance.__dict__.update(zip(names, values, strict=True))
        state = instance._state = ModelState()
        state.adding = False
        state.db = DEFAULT_DB_ALIAS
        return instance

    return build


def _aware(zone, slow):
    """SQLite's datetime converter for a lookup built with time zones on:
    the same datetime, the zone and the setting read once instead of for
    every value (a page reads hundreds)."""

    def convert(value, expression, connection):
        if value is None:
            return None
        if not isinstance(value, datetime):
            value = slow(connection.ops, value, expression, connection)
        elif value.tzinfo is None:
            value = value.replace(tzinfo=zone)
        return value

    return convert


def _quicker(converters: dict) -> dict:
    """The converters of a lookup, SQLite's datetime converter replaced by
    one that reads no setting per value."""
    if connection.vendor != "sqlite" or not settings.USE_TZ:
        return converters
    slow = type(connection.ops).convert_datetimefield_value
    quick = _aware(connection.timezone, slow)
    return {
        position: (
            [
                quick if getattr(item, "__func__", None) is slow else item
                for item in items
            ],
            expression,
        )
        for position, (items, expression) in converters.items()
    }


def _model_at(model, path: str):
    """The model at a related path from `model` ("" is `model` itself)."""
    for name in path.split("__") if path else ():
        model = model._meta.get_field(name).related_model
    return model


class Compiled:
    """One row of `queryset`'s model with its related rows, found by the
    queryset's SQL as built once (see the module's docstring)."""

    def __init__(self, queryset, related: tuple = (), *, ids_count=0):
        model = queryset.model
        self.parts = [("", model, _attnames(model, None))]
        for item in related:
            path, only = (item, None) if isinstance(item, str) else item
            related_model = _model_at(model, path)
            self.parts.append((path, related_model, _attnames(related_model, only)))
        # How each part's columns become its instance, and, for a related
        # row, how it is attached to its owner: as select_related attaches
        # it (the owner's cached value, and the owner on the related row's
        # side of a one-to-one).
        self.builders = [_builder(part, names) for _path, part, names in self.parts]
        self.attach = {}
        for path, _part, _names in self.parts[1:]:
            owner_path, _, name = path.rpartition("__")
            field = _model_at(model, owner_path)._meta.get_field(name)
            self.attach[path] = (owner_path, field)
        columns = []
        for path, _model, names in self.parts:
            columns += [f"{path}__{name}" if path else name for name in names]
        self.annotations = list(queryset.query.annotation_select)
        query = queryset.values_list(*columns, *self.annotations).query
        self.compiler = query.get_compiler(connection=connection)
        self.sql, params = self.compiler.as_sql()
        if connection.vendor == "sqlite" or prepared.prepares(connection):
            bound = {*SLOTS.values(), *ids(ids_count)}
            self.sql, params = _written_out(
                self.sql, list(params), bound, connection.vendor
            )
        self.params = list(params)
        selected = [column[0] for column in self.compiler.select]
        self.converters = _quicker(self.compiler.get_converters(selected))
        self.slots = {
            name: [index for index, value in enumerate(params) if value == slot]
            for name, slot in SLOTS.items()
        }
        where = {value: index for index, value in enumerate(params)}
        self.id_slots = [where[value] for value in ids(ids_count)]
        self._pickers = {}

    def first(self, **values):
        """The instance the query finds with these slot values, or None."""
        found = self.instances(self._rows(values, one=True))
        return found[0] if found else None

    def all(self, **values) -> list:
        """Every instance the query finds with these slot values."""
        return self.instances(self._rows(values))

    def raw(self, **values) -> list[tuple]:
        """Every row the query finds with these slot values, as the database
        returned it: what was read, to compare or to make instances of later
        (`instances()`)."""
        return self._rows(values)

    def instances(self, rows: list[tuple]) -> list:
        """The instances of rows `raw()` returned, as `all()` makes them."""
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        return [self._instances(row) for row in rows]

    def position(self, name: str) -> int:
        """Where a row holds the model's column `name` (an attname) or the
        annotation `name`."""
        own = self.parts[0][2]
        if name in own:
            return own.index(name)
        before = sum(len(names) for _path, _model, names in self.parts)
        return before + self.annotations.index(name)

    def picker(self, *names: str, leaving: bool = False):
        """What takes from a row the values of the model's columns or
        annotations `names` as a tuple, or with `leaving`, every value but
        theirs (made once per set of names)."""
        picker = self._pickers.get((names, leaving))
        if picker is None:
            wanted = {self.position(name) for name in names}
            width = sum(len(part[2]) for part in self.parts) + len(self.annotations)
            at = [i for i in range(width) if (i in wanted) != leaving]
            picker = self._pickers[names, leaving] = (
                itemgetter(*at)
                if len(at) > 1
                else lambda row: tuple(row[i] for i in at)
            )
        return picker

    def params_for(self, **values) -> list:
        """The parameters of `sql` for these slot values: to run it inside
        another statement, whose rows `instances()` then reads."""
        params = self.params[:]
        listed = values.pop("ids", ())
        if len(listed) != len(self.id_slots):
            raise ValueError("This lookup was built for another number of ids.")
        for index, value in zip(self.id_slots, listed, strict=True):
            params[index] = value
        for name, value in values.items():
            for index in self.slots[name]:
                params[index] = value
        return params

    def _rows(self, values: dict, one=False) -> list:
        params = self.params_for(**values)
        with prepared.cursor(connection) as cursor:
            cursor.execute(self.sql, params)
            rows = [cursor.fetchone()] if one else cursor.fetchall()
        return [row for row in rows if row is not None]

    def _instances(self, row):
        found, start = {}, 0
        for (path, _model, names), build in zip(self.parts, self.builders, strict=True):
            values = row[start : start + len(names)]
            start += len(names)
            found[path] = None if values[0] is None else build(values)
        for path, (owner_path, field) in self.attach.items():
            owner, instance = found[owner_path], found[path]
            if owner is not None:
                field.set_cached_value(owner, instance)
                if instance is not None and field.unique:
                    field.remote_field.set_cached_value(instance, owner)
        for name, value in zip(self.annotations, row[start:], strict=True):
            setattr(found[""], name, value)
        return found[""]


def compiled(key: tuple, build) -> Compiled:
    """The lookup `build()` makes, built once per process and
    `key` (what else its SQL depends on: settings, the kind of reader)."""
    lookup = _lookups.get(key)
    if lookup is None:
        lookup = _lookups[key] = build()
    return lookup


# Keys are few and bounded: kinds of lookup, their settings, list lengths up
# to a page's size.
_lookups: dict[tuple, Compiled] = {}
