package io.quantserve;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pins the layering: the engine is a plain library, exactly one package talks to ONNX Runtime, and the service is
 * one package per capability whose web adapter ({@code service.<capability>.web}) is internal to it.
 */
class ArchitectureTest {
    private static final Pattern WEB_ADAPTER = Pattern.compile("io\\.quantserve\\.service\\.([a-z]+)\\.web(\\..*)?");
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.quantserve");
    }

    @Test
    void engineDependsOnNoFrameworkOrStorage() {
        noClasses()
                .that()
                .resideInAPackage("io.quantserve.engine..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework..", "jakarta..", "java.sql..", "javax.sql..", "io.minio..", "picocli..")
                .check(classes);
    }

    @Test
    void engineDoesNotKnowTheCliOrService() {
        noClasses()
                .that()
                .resideInAPackage("io.quantserve.engine..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.quantserve.cli..", "io.quantserve.service..")
                .check(classes);
    }

    @Test
    void onlyTheRuntimePackageImportsOnnxRuntime() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.quantserve.engine.runtime..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("ai.onnxruntime..")
                .check(classes);
    }

    @Test
    void enginePackagesHaveNoCycles() {
        slices().matching("io.quantserve.engine.(*)..")
                .should()
                .beFreeOfCycles()
                .check(classes);
    }

    @Test
    void serviceDoesNotKnowTheCli() {
        noClasses()
                .that()
                .resideInAPackage("io.quantserve.service..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.quantserve.cli..")
                .check(classes);
    }

    @Test
    void webAdaptersAreInternalToTheirCapability() {
        classes()
                .that()
                .resideInAPackage("io.quantserve.service..")
                .should(useNoOtherCapabilitysWebAdapter())
                .check(classes);
    }

    @Test
    void theSharedWebEdgeKnowsNoCapability() {
        noClasses()
                .that()
                .resideInAPackage("io.quantserve.service.web")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.quantserve.service.models..",
                        "io.quantserve.service.datasets..",
                        "io.quantserve.service.security..")
                .check(classes);
    }

    @Test
    void onlyTheStoragePackageTalksToS3() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.quantserve.service.storage..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.minio..")
                .check(classes);
    }

    @Test
    void serviceCapabilitiesHaveNoCycles() {
        slices().matching("io.quantserve.service.(*)..")
                .should()
                .beFreeOfCycles()
                .check(classes);
    }

    private static ArchCondition<JavaClass> useNoOtherCapabilitysWebAdapter() {
        return new ArchCondition<>("use no other capability's web adapter") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    Matcher m = WEB_ADAPTER.matcher(d.getTargetClass().getPackageName());
                    String owner = "io.quantserve.service." + (m.matches() ? m.group(1) : "");
                    boolean inside = origin.getPackageName().equals(owner)
                            || origin.getPackageName().startsWith(owner + ".");
                    if (m.matches() && !inside) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        };
    }
}
