"""SHACL validation: the engines, the report types, validation in the context of a store."""
