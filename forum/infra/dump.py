"""The "json" format of dumpdata and loaddata, with datetimes to the microsecond.

Django's own JSON format writes datetimes to the millisecond (as JavaScript
reads them), so a backup made with `dumpdata` would come back slightly
changed: replies, votes and revisions written within the same millisecond
could swap places. This format writes them whole; it reads Django's own
files as before. Registered under "json" through SERIALIZATION_MODULES.
"""

import datetime

from django.core.serializers.json import Deserializer as JSONDeserializer
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

__all__ = ["Deserializer", "Serializer"]

Deserializer = JSONDeserializer


class FullPrecisionEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return (
                text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
            )
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        self.options.setdefault("cls", FullPrecisionEncoder)
        super()._init_options()
