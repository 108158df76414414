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
 * The asset types a job knows: the built-ins ({@code twinstream/asset-models.json} on the classpath), the user's
 * ({@link ModelDefinitions}, {@code --models}), and in a running job those that arrive on the models topic
 * ({@link #put}). Not thread-safe: each operator instance keeps its own.
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
    private AssetModel[] models;

    private AssetModels(Map<String, AssetModel> byType) {
        this.byType = byType;
        this.models = byType.values().toArray(AssetModel[]::new);
    }

    /** A set of models; a type given twice is refused. */
    public static AssetModels of(Collection<AssetModel> models) {
        Map<String, AssetModel> byType = new LinkedHashMap<>();
        for (AssetModel m : models) {
            if (byType.put(m.type(), m) != null) {
                throw new IllegalArgumentException("asset type declared twice: " + m.type());
            }
        }
        return new AssetModels(byType);
    }

    /** These models with {@code overrides} added; a type in both takes the override. */
    public AssetModels with(Collection<AssetModel> overrides) {
        Map<String, AssetModel> byType = new LinkedHashMap<>(this.byType);
        for (AssetModel m : overrides) {
            byType.put(m.type(), m);
        }
        return new AssetModels(byType);
    }

    /** What {@link #put} did with a model. */
    public enum Change {
        /** A type not known before. */
        ADDED,
        /** A higher version of a known type replaced the one in force. */
        NEW_VERSION,
        /** The same version with the same content: nothing to do. */
        SAME,
        /** A lower version than the one in force, or the same version with other content: the one in force stays. */
        REFUSED
    }

    /** Puts a model in force if it is new or a higher version of its type. */
    public Change put(AssetModel m) {
        AssetModel current = byType.get(m.type());
        if (current != null) {
            if (current.version().equals(m.version())) {
                return current.equals(m) ? Change.SAME : Change.REFUSED;
            }
            if (current.version() > m.version()) {
                return Change.REFUSED;
            }
        }
        byType.put(m.type(), m);
        models = byType.values().toArray(AssetModel[]::new);
        return current == null ? Change.ADDED : Change.NEW_VERSION;
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
        return of(Json.MAPPER.readValue(in, new TypeReference<List<AssetModel>>() {}));
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
