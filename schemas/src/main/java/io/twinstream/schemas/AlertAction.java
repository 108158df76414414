package io.twinstream.schemas;

/**
 * An operator's action on an asset's alert, or a silence of the asset, on {@code twin.alert-actions} keyed by asset id
 * ({@code bin/twinstream alerts ...}). Applied in the order of the topic's partition, which holds every action of an
 * asset: two actions milliseconds apart end in the state of the later one, or the later one is refused.
 *
 * @param schemaVersion contract version ({@link SchemaVersions#ALERT_ACTION})
 * @param assetId       the asset
 * @param alertId       the incident; null for SILENCE and UNSILENCE
 * @param action        what to do
 * @param by            who acts
 * @param at            when, epoch ms
 * @param note          a note (ACK, COMMENT, SILENCE); optional
 * @param assignee      for ASSIGN
 * @param silenceForMs  for SILENCE: how long, from {@code at}, no new alert of the asset is raised
 */
public record AlertAction(int schemaVersion, String assetId, String alertId, Action action, String by, long at,
        String note, String assignee, Long silenceForMs) {

    public enum Action { ACK, UNACK, ASSIGN, COMMENT, SILENCE, UNSILENCE }
}
