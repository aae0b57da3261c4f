"""``EntityDefinitions``: the Dataverse face's tables described as Dataverse's metadata describes
them, read from the schema catalogue (one place for the attributes and their types).

Microsoft's SDK (``PowerPlatform-Dataverse-Client``) asks this before it writes: a table's entity
set and primary id (``EntityDefinitions?$filter=LogicalName eq 'contact'``), and the labels of its
choice columns (``EntityDefinitions(LogicalName='contact')/Attributes/
Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$expand=OptionSet``). Served: the collection with
``$select`` and ``$filter``, one table by ``MetadataId`` or ``LogicalName='...'``, its
``Attributes`` (all, one by ``LogicalName='...'``, or those of one metadata type by its cast).
``$metadata`` gives the same tables as an OData CSDL document. Metadata is read-only here: the
tables of a sync are Dynamics' own.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

from ... import schema
from ..formats.crmfiles import ENTITY_SETS
from . import odata
from .errors import ApiError

#: system-kept attributes, as their metadata types them
_SYSTEM_TYPES = {"versionnumber": "BigInt", "ownerid": "Owner", "createdby": "Lookup", "statecode": "State"}
_TYPES = {str: "String", int: "Integer", bool: "Boolean", datetime: "DateTime"}
#: what a type's metadata is called in the OData model (the cast a client filters by)
_METADATA_TYPES = {
    "String": "StringAttributeMetadata",
    "Integer": "IntegerAttributeMetadata",
    "BigInt": "BigIntAttributeMetadata",
    "Boolean": "BooleanAttributeMetadata",
    "DateTime": "DateTimeAttributeMetadata",
    "Picklist": "PicklistAttributeMetadata",
    "State": "StateAttributeMetadata",
    "Status": "StatusAttributeMetadata",
    "Owner": "LookupAttributeMetadata",
    "Lookup": "LookupAttributeMetadata",
    "Uniqueidentifier": "UniqueIdentifierAttributeMetadata",
}
_KEY = re.compile(r"^(?:LogicalName='(\w+)'|([0-9a-fA-F-]{36}))$")
_PATH = re.compile(
    r"^EntityDefinitions(?:\(([^)]*)\))?(?:/Attributes(?:\(([^)]*)\))?(?:/Microsoft\.Dynamics\.CRM\.(\w+))?)?$"
)
_NAMESPACE = uuid.UUID("6d1b6b2e-7f0a-4c1e-9c36-5f9f2d7b9a10")


@dataclass(frozen=True)
class Table:
    logical_name: str
    entity_set: str
    primary_id: str
    primary_name: str

    @property
    def attributes(self) -> dict[str, str]:
        """Each attribute's AttributeType."""
        return {name: attribute_type(self, name) for name in schema.entity(self.logical_name).attributes}


TABLES = {
    entity: Table(
        entity,
        entity_set,
        schema.entity(entity).primary_key,
        "fullname" if entity == "contact" else "subject",
    )
    for entity_set, entity in ENTITY_SETS.items()
}


def attribute_type(table: Table, name: str) -> str:
    if name == table.primary_id:
        return "Uniqueidentifier"
    if name in _SYSTEM_TYPES:
        return _SYSTEM_TYPES[name]
    if name == "statuscode":
        return "Status"
    if name in schema.OPTION_VALUES.get(table.logical_name, {}):
        return "Picklist"
    return _TYPES[schema.entity(table.logical_name).attributes[name]]


def metadata_id(*names: str) -> str:
    """A stable MetadataId (Dataverse's are fixed GUIDs for its own tables and columns)."""
    return str(uuid.uuid5(_NAMESPACE, ".".join(names)))


def schema_name(logical_name: str) -> str:
    return logical_name[:1].upper() + logical_name[1:]


def table_row(table: Table) -> dict[str, Any]:
    return {
        "MetadataId": metadata_id(table.logical_name),
        "LogicalName": table.logical_name,
        "SchemaName": schema_name(table.logical_name),
        "EntitySetName": table.entity_set,
        "LogicalCollectionName": table.entity_set,
        "PrimaryIdAttribute": table.primary_id,
        "PrimaryNameAttribute": table.primary_name,
        "IsActivity": table.primary_id == "activityid",
        "IsCustomEntity": False,
        "IsManaged": True,
    }


def attribute_row(table: Table, name: str, kind: str) -> dict[str, Any]:
    read_only = kind in ("BigInt", "Lookup") or name in ("createdon", "modifiedon", "fullname")
    row: dict[str, Any] = {
        "@odata.type": f"#Microsoft.Dynamics.CRM.{_METADATA_TYPES[kind]}",
        "MetadataId": metadata_id(table.logical_name, name),
        "LogicalName": name,
        "SchemaName": schema_name(name),
        "EntityLogicalName": table.logical_name,
        "AttributeType": kind,
        "AttributeTypeName": {"Value": f"{kind}Type"},
        "IsPrimaryId": name == table.primary_id,
        "IsPrimaryName": name == table.primary_name,
        "IsValidForCreate": not read_only,
        "IsValidForUpdate": not read_only and name != table.primary_id,
        "IsValidForRead": True,
        "IsCustomAttribute": False,
    }
    if kind == "Picklist":
        row["OptionSet"] = {"Options": _options(table, name)}
    return row


def _options(table: Table, name: str) -> list[dict[str, Any]]:
    labels = {value: label.title() for label, value in schema.OPTION_LABELS.get(name, {}).items()}
    return [
        {
            "Value": value,
            "Label": {"LocalizedLabels": [{"Label": labels.get(value, str(value)), "LanguageCode": 1033}]},
        }
        for value in sorted(schema.OPTION_VALUES[table.logical_name][name])
    ]


def answer(path: str, params: dict[str, str], base: str) -> dict[str, Any]:
    """The body of a GET of ``path`` (``EntityDefinitions...``), or an ApiError."""
    match = _PATH.match(path)
    if match is None:
        raise ApiError("no-segment", f"Resource not found for the segment '{path}'.")
    table_key, attribute_key, cast = match.groups()
    if table_key is None:
        rows = [table_row(table) for table in TABLES.values()]
        return _collection(f"{base}$metadata#EntityDefinitions", rows, params)
    table = _table(table_key)
    if "/Attributes" not in path:
        query = odata.parse({k: v for k, v in params.items() if k == "$select"})
        return {
            "@odata.context": f"{base}$metadata#EntityDefinitions/$entity",
            **odata.selected(table_row(table), query),
        }
    rows = [attribute_row(table, name, kind) for name, kind in table.attributes.items()]
    if cast is not None:
        if cast not in _METADATA_TYPES.values():
            raise ApiError(
                "no-segment", f"Resource not found for the segment 'Microsoft.Dynamics.CRM.{cast}'."
            )
        rows = [row for row in rows if row["@odata.type"].endswith(f".{cast}")]
    if attribute_key is not None:
        found = [row for row in rows if _names(attribute_key, row["LogicalName"], row["MetadataId"])]
        if not found:
            raise ApiError("not-found", f"Could not find attribute {attribute_key} on {table.logical_name}")
        return {"@odata.context": f"{base}$metadata#EntityDefinitions/Attributes/$entity", **found[0]}
    return _collection(
        f"{base}$metadata#EntityDefinitions({table_row(table)['MetadataId']})/Attributes", rows, params
    )


def _collection(context: str, rows: list[dict[str, Any]], params: dict[str, str]) -> dict[str, Any]:
    """Metadata collections are not paged; $select and $filter apply (``$expand=OptionSet`` is
    always given: it is in the rows)."""
    query = odata.parse({k: v for k, v in params.items() if k in ("$select", "$filter")})
    found = odata.apply(query, rows)
    keep = ("OptionSet",) if "OptionSet" in params.get("$expand", "") else ()
    return {"@odata.context": context, "value": [odata.selected(row, query, keep) for row in found]}


def _table(key: str) -> Table:
    for table in TABLES.values():
        if _names(key, table.logical_name, metadata_id(table.logical_name)):
            return table
    raise ApiError("not-found", f"Could not find an entity with {key} (tables here: {', '.join(TABLES)})")


def _names(key: str, logical_name: str, identifier: str) -> bool:
    match = _KEY.match(key.strip())
    if match is None:
        return False
    by_name, by_id = match.groups()
    return by_name == logical_name if by_name else by_id.lower() == identifier


#: each attribute type's OData type in the CSDL document
_EDM = {
    "String": "Edm.String",
    "Integer": "Edm.Int32",
    "BigInt": "Edm.Int64",
    "Boolean": "Edm.Boolean",
    "DateTime": "Edm.DateTimeOffset",
    "Picklist": "Edm.Int32",
    "State": "Edm.Int32",
    "Status": "Edm.Int32",
    "Uniqueidentifier": "Edm.Guid",
    "Owner": "Edm.Guid",
    "Lookup": "Edm.Guid",
}
_EDMX, _EDM_NS = "http://docs.oasis-open.org/odata/ns/edmx", "http://docs.oasis-open.org/odata/ns/edm"


def csdl() -> bytes:
    """``$metadata``: the record tables as an OData CSDL document (the entity types with their
    keys and properties, a lookup as its ``_name_value`` property, and the entity sets)."""
    root = ElementTree.Element("edmx:Edmx", {"Version": "4.0", "xmlns:edmx": _EDMX})
    services = ElementTree.SubElement(root, "edmx:DataServices")
    schema_element = ElementTree.SubElement(
        services, "Schema", {"Namespace": "Microsoft.Dynamics.CRM", "Alias": "mscrm", "xmlns": _EDM_NS}
    )
    for table in TABLES.values():
        entity = ElementTree.SubElement(schema_element, "EntityType", {"Name": table.logical_name})
        key = ElementTree.SubElement(entity, "Key")
        ElementTree.SubElement(key, "PropertyRef", {"Name": table.primary_id})
        for name, kind in table.attributes.items():
            shown = f"_{name}_value" if kind in ("Owner", "Lookup") else name
            ElementTree.SubElement(entity, "Property", {"Name": shown, "Type": _EDM[kind]})
    container = ElementTree.SubElement(schema_element, "EntityContainer", {"Name": "System"})
    for table in TABLES.values():
        ElementTree.SubElement(
            container,
            "EntitySet",
            {"Name": table.entity_set, "EntityType": f"Microsoft.Dynamics.CRM.{table.logical_name}"},
        )
    text: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return text
