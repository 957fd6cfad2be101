package io.quantserve.service.security;

import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Makes {@link Caller} injectable into controller methods. */
@Configuration(proxyBeanMethods = false)
class SecurityWebConfiguration implements WebMvcConfigurer {
    private final CallerArgument callerArgument;

    SecurityWebConfiguration(CallerArgument callerArgument) {
        this.callerArgument = callerArgument;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(callerArgument);
    }
}
