package io.quantserve;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pins the layering: the engine is a plain library, and exactly one package talks to ONNX Runtime. */
class ArchitectureTest {
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
}
