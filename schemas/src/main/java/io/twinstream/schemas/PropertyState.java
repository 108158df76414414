package io.twinstream.schemas;

/**
 * One settable property in a twin snapshot: desired and reported side by side.
 *
 * @param desired          the desired value; null if none is set
 * @param reported         the value the asset last reported; null before its first report
 * @param reportedAt       event time of that report
 * @param inAgreement      whether they agree within the model's tolerance (false while either is missing)
 * @param disagreeingSince event time they started to disagree; null while they agree
 */
public record PropertyState(Double desired, Double reported, Long reportedAt, boolean inAgreement,
        Long disagreeingSince) {}
