package io.twinstream.jobs.io;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * {@link Ingested} with its own wire form ({@link IngestedSerializer}) instead of Flink's POJO serializer; the record's
 * {@code @TypeInfo} annotation makes every {@code TypeInformation.of(Ingested.class)} this one.
 */
public final class IngestedTypeInfo extends TypeInformation<Ingested> {
    private static final long serialVersionUID = 1L;

    public static final IngestedTypeInfo INSTANCE = new IngestedTypeInfo();

    /** The factory Flink's type extraction finds through the annotation. */
    public static final class Factory extends TypeInfoFactory<Ingested> {
        @Override
        public TypeInformation<Ingested> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<Ingested> getTypeClass() {
        return Ingested.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<Ingested> createSerializer(SerializerConfig config) {
        return new IngestedSerializer();
    }

    @Override
    public String toString() {
        return "Ingested";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IngestedTypeInfo;
    }

    @Override
    public int hashCode() {
        return IngestedTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof IngestedTypeInfo;
    }
}
