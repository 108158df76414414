package io.twinstream.schemas;

/**
 * Ground truth for one injected fault, written by the generator to the labels topic or file.
 *
 * @param assetId   faulty asset
 * @param assetType its type
 * @param siteId    its site
 * @param sensor    faulty sensor, or null for {@link FaultKind#DROPOUT} (the whole asset)
 * @param kind      what was injected
 * @param start     event time the fault starts, epoch ms (inclusive)
 * @param end       event time the fault ends, epoch ms (exclusive)
 */
public record FaultLabel(
        String assetId, String assetType, String siteId, String sensor, FaultKind kind, long start, long end) {}
