package io.twinstream.schemas;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of asset types, loaded from {@code twinstream/asset-models.json} on the classpath
 * (or any stream in the same format).
 */
public final class AssetModels implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String RESOURCE = "/twinstream/asset-models.json";

    public static final String WIND_TURBINE = "WIND_TURBINE";
    public static final String EV_BATTERY = "EV_BATTERY";
    public static final String INDUSTRIAL_PUMP = "INDUSTRIAL_PUMP";
    public static final String PATIENT_WEARABLE = "PATIENT_WEARABLE";

    private final Map<String, AssetModel> byType;
    /** The same models, for {@link #get}'s identity check. */
    private final AssetModel[] models;

    private AssetModels(Map<String, AssetModel> byType) {
        this.byType = byType;
        this.models = byType.values().toArray(AssetModel[]::new);
    }

    public static AssetModels builtIn() {
        try (InputStream in = AssetModels.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static AssetModels load(InputStream in) throws IOException {
        List<AssetModel> models = Json.MAPPER.readValue(in, new TypeReference<List<AssetModel>>() {});
        Map<String, AssetModel> byType = new LinkedHashMap<>();
        for (AssetModel m : models) {
            if (byType.put(m.type(), m) != null) {
                throw new IllegalArgumentException("asset type declared twice: " + m.type());
            }
        }
        return new AssetModels(byType);
    }

    /**
     * The model for a type, or null if the type is unknown. The pipeline keeps a model's own {@code type()} string in
     * state and asks for it several times per reading; that instance is found by identity, without a hash lookup
     * (3% of the twin operator's thread in the profile, docs/performance-journal.md).
     */
    public AssetModel get(String type) {
        for (AssetModel m : models) {
            if (m.type() == type) {
                return m;
            }
        }
        return byType.get(type);
    }

    public Collection<AssetModel> all() {
        return byType.values();
    }
}
