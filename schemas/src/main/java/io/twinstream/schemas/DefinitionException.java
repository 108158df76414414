package io.twinstream.schemas;

/** A model or registry definition that breaks its schema; the message names the source, the entry and the field. */
public final class DefinitionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public DefinitionException(String message) {
        super(message);
    }
}
