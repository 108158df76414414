package io.twinstream.jobs.io;

import io.twinstream.schemas.DeadLetter;

/**
 * One record of the models topic: a model that passed its schema (as JSON; every twin operator instance reads it
 * into its own model set), or its dead letter.
 *
 * @param json     the model, checked; null if rejected
 * @param rejected the dead letter; null if valid
 */
public record ModelRecord(String json, DeadLetter rejected, String topic, int partition, long offset, long timestamp) {

    public boolean isValid() {
        return json != null;
    }
}
