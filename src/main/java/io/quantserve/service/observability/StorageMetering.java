package io.quantserve.service.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.quantserve.service.storage.ObjectStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wraps the application's {@link ObjectStore} in a {@link MeteredObjectStore}, whichever adapter
 * {@code quantserve.storage.type} chose, so every writer (uploads of models and datasets, artefacts of jobs) is
 * counted without knowing about metrics.
 */
@Configuration(proxyBeanMethods = false)
class StorageMetering {

    /** Static, with the registry looked up late: a post-processor is made before the beans it could depend on. */
    @Bean
    static BeanPostProcessor meteredObjectStore(ObjectProvider<MeterRegistry> registry) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof ObjectStore store && !(bean instanceof MeteredObjectStore)) {
                    return new MeteredObjectStore(store, registry::getObject);
                }
                return bean;
            }
        };
    }
}
