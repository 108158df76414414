package io.twinstream.jobs.oncall;

import io.twinstream.schemas.DeadLetter;

/**
 * A record of the alerts topic as the bridge reads it: the incident's id and the alert as JSON, or a dead letter.
 *
 * @param alertId  the incident; null if rejected
 * @param json     the alert record as it was on the topic; null if rejected
 * @param rejected why the record is not an alert; null if it is one
 */
public record AlertRecord(String alertId, String json, DeadLetter rejected) {}
