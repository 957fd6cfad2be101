package io.quantserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.quantserve.service.storage.StorageProperties;
import io.quantserve.service.web.UploadProperties;
import io.quantserve.service.worker.ProcessRole;
import io.quantserve.service.worker.WorkerProperties;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart under {@code helm/quantserve}, linted and rendered offline by embedded Helm, and the rendered manifests
 * checked: the objects, probes on the actuator, the security context with its writable emptyDirs, secrets
 * referenced rather than inlined, the worker HPA, the optional Ingress and environment variables that bind to real
 * service properties.
 */
class HelmChartTest {
    private static final Path CHART = Path.of("helm", "quantserve");
    private static final String RELEASE = "qs";
    private static final String FULLNAME = "qs-quantserve";

    private static SpringProperties properties;

    @BeforeAll
    static void loadProperties() {
        properties = SpringProperties.load();
    }

    @Test
    void chartPassesStrictLint() {
        LintResult lint = new Helm(CHART).lint().strict().call();

        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void defaultsRenderTheApiAndWorkerWithTheirCompanions() {
        Manifests m = render(Map.of());

        assertThat(m.kinds())
                .containsExactlyInAnyOrder(
                        "ServiceAccount/" + FULLNAME,
                        "ConfigMap/" + FULLNAME,
                        "Service/" + FULLNAME,
                        "Deployment/" + FULLNAME + "-api",
                        "Deployment/" + FULLNAME + "-worker",
                        "HorizontalPodAutoscaler/" + FULLNAME + "-worker",
                        "PodDisruptionBudget/" + FULLNAME + "-api",
                        "PodDisruptionBudget/" + FULLNAME + "-worker");
        assertThat(container(m.get("Deployment", FULLNAME + "-api")).at("image").text())
                .isEqualTo(container(m.get("Deployment", FULLNAME + "-worker"))
                        .at("image")
                        .text())
                .isEqualTo("quantserve:0.1.0");
        assertThat(env(m, "api")).containsEntry("QUANTSERVE_ROLE", "api");
        assertThat(env(m, "worker")).containsEntry("QUANTSERVE_ROLE", "worker");
    }

    @Test
    void probesHitTheActuatorHealthGroupsOnTheManagementPort() {
        Manifests m = render(Map.of());
        Map<String, String> config = m.get("ConfigMap", FULLNAME).at("data").textMap();

        for (String component : List.of("api", "worker")) {
            YamlNode c = container(m.get("Deployment", FULLNAME + "-" + component));
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertThat(c.at(probe, "httpGet", "port").text()).as(probe).isEqualTo("management");
            }
            assertThat(c.at("livenessProbe", "httpGet", "path").text()).isEqualTo("/actuator/health/liveness");
            assertThat(c.at("startupProbe", "httpGet", "path").text()).isEqualTo("/actuator/health/liveness");
            assertThat(c.at("readinessProbe", "httpGet", "path").text()).isEqualTo("/actuator/health/readiness");
            assertThat(ports(c)).containsExactlyInAnyOrderEntriesOf(Map.of("http", "8080", "management", "9090"));
            // the actuator moves to that port only through management.server.port
            assertThat(config).containsEntry("MANAGEMENT_SERVER_PORT", ports(c).get("management"));
            assertThat(c.at("resources", "requests", "memory").isMissing()).isFalse();
            assertThat(c.at("resources", "limits", "memory").isMissing()).isFalse();
        }
    }

    @Test
    void podsRunAsNonRootOnAReadOnlyRootWithWritableEmptyDirs() {
        Manifests m = render(Map.of());
        Map<String, String> config = m.get("ConfigMap", FULLNAME).at("data").textMap();

        for (String component : List.of("api", "worker")) {
            YamlNode pod = m.get("Deployment", FULLNAME + "-" + component).at("spec", "template", "spec");
            assertThat(pod.at("securityContext", "runAsNonRoot").text()).isEqualTo("true");
            assertThat(Integer.parseInt(pod.at("securityContext", "runAsUser").text()))
                    .isPositive();
            assertThat(pod.at("automountServiceAccountToken").text()).isEqualTo("false");
            YamlNode c = container(m.get("Deployment", FULLNAME + "-" + component));
            assertThat(c.at("securityContext", "readOnlyRootFilesystem").text()).isEqualTo("true");
            assertThat(c.at("securityContext", "allowPrivilegeEscalation").text())
                    .isEqualTo("false");
            assertThat(c.at("securityContext", "capabilities").list("drop").stream()
                            .map(YamlNode::text))
                    .containsExactly("ALL");

            Map<String, String> emptyDirMounts = emptyDirMounts(pod, c);
            // ONNX Runtime extracts its native library to java.io.tmpdir; the JVM, Tomcat and the scratch folder
            // need writable places too.
            assertThat(emptyDirMounts).containsKey("/tmp");
            // the image's working folder, where relative default paths (quantserve-data/…) point
            assertThat(emptyDirMounts).containsKey("/var/lib/quantserve");
            String scratch = config.get("QUANTSERVE_UPLOADS_SCRATCH_DIR");
            assertThat(emptyDirMounts.keySet()).anyMatch(mount -> scratch.startsWith(mount + "/"));
            assertThat(pod.list("volumes"))
                    .allSatisfy(v -> assertThat(v.at("emptyDir", "sizeLimit").isMissing())
                            .as(v.path())
                            .isFalse());
        }
        assertThat(config.get("JDK_JAVA_OPTIONS"))
                .contains("-Djava.io.tmpdir=/tmp")
                .contains("-XX:MaxRAMPercentage=");
    }

    @Test
    void credentialsAreSecretReferencesNeverValues() {
        Manifests m = render(Map.of(
                "database.existingSecret", "pg-credentials",
                "database.passwordKey", "pg-password",
                "s3.existingSecret", "s3-credentials",
                "security.existingSecret", "admin-credentials"));

        assertThat(m.documents()).noneMatch(kind("Secret"));
        Map<String, String> config = m.get("ConfigMap", FULLNAME).at("data").textMap();
        assertThat(config.keySet())
                .noneMatch(k -> k.contains("PASSWORD") || k.contains("SECRET") || k.contains("ACCESS_KEY"))
                .noneMatch(k -> k.contains("ADMIN_KEY"));
        for (String component : List.of("api", "worker")) {
            Map<String, String> refs = secretRefs(container(m.get("Deployment", FULLNAME + "-" + component)));
            assertThat(refs)
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            "SPRING_DATASOURCE_PASSWORD", "pg-credentials/pg-password",
                            "QUANTSERVE_STORAGE_S3_ACCESS_KEY", "s3-credentials/access-key",
                            "QUANTSERVE_STORAGE_S3_SECRET_KEY", "s3-credentials/secret-key",
                            "QUANTSERVE_SECURITY_ADMIN_KEY", "admin-credentials/admin-key"));
        }

        Manifests withoutAdminKey = render(Map.of("security.existingSecret", ""));
        assertThat(secretRefs(container(withoutAdminKey.get("Deployment", FULLNAME + "-api"))))
                .doesNotContainKey("QUANTSERVE_SECURITY_ADMIN_KEY");
    }

    @Test
    void externalPostgresAndS3ValuesBindToTheServiceConfiguration() {
        Manifests m = render(Map.of(
                "database.url", "jdbc:postgresql://db.internal:5432/qs",
                "s3.endpoint", "https://s3.eu-west-1.amazonaws.com",
                "s3.region", "eu-west-1",
                "s3.bucket", "qs-artefacts",
                "s3.createBucket", "false",
                "worker.threads", "3"));
        Map<String, String> config = m.get("ConfigMap", FULLNAME).at("data").textMap();

        assertThat(config).containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://db.internal:5432/qs");
        StorageProperties storage = SpringProperties.bind(config, "quantserve.storage", StorageProperties.class);
        assertThat(storage.type()).isEqualTo(StorageProperties.Type.S3);
        assertThat(storage.s3().endpoint()).isEqualTo(URI.create("https://s3.eu-west-1.amazonaws.com"));
        assertThat(storage.s3().region()).isEqualTo("eu-west-1");
        assertThat(storage.s3().bucket()).isEqualTo("qs-artefacts");
        assertThat(storage.s3().createBucket()).isFalse();
        assertThat(SpringProperties.bind(config, "quantserve.uploads", UploadProperties.class)
                        .scratch())
                .isEqualTo(Path.of("/var/lib/quantserve/scratch"));

        Map<String, String> workerEnv = new LinkedHashMap<>(config);
        workerEnv.putAll(env(m, "worker"));
        WorkerProperties worker = SpringProperties.bind(workerEnv, "quantserve", WorkerProperties.class);
        assertThat(worker.role()).isEqualTo(ProcessRole.WORKER);
        assertThat(worker.worker().threads()).isEqualTo(3);
        Map<String, String> apiEnv = new LinkedHashMap<>(config);
        apiEnv.putAll(env(m, "api"));
        assertThat(SpringProperties.bind(apiEnv, "quantserve", WorkerProperties.class)
                        .role())
                .isEqualTo(ProcessRole.API);
    }

    @Test
    void everySpringVariableNamesARealProperty() {
        Manifests m = render(Map.of("extraConfig.QUANTSERVE_JOBS_LEASE_DURATION", "90s"));
        List<String> variables = new ArrayList<>(
                m.get("ConfigMap", FULLNAME).at("data").textMap().keySet());
        for (String component : List.of("api", "worker")) {
            container(m.get("Deployment", FULLNAME + "-" + component))
                    .list("env")
                    .forEach(e -> variables.add(e.at("name").text()));
        }

        assertThat(variables).contains("QUANTSERVE_JOBS_LEASE_DURATION", "SPRING_DATASOURCE_URL");
        assertThat(variables.stream().filter(SpringProperties::isSpringVariable))
                .allSatisfy(v -> assertThat(properties.propertyOf(v))
                        .as("property set by %s", v)
                        .isPresent());
    }

    @Test
    void theHpaScalesTheWorkerDeploymentWhichThenLeavesReplicasToIt() {
        Manifests m = render(Map.of());
        YamlNode hpa = m.get("HorizontalPodAutoscaler", FULLNAME + "-worker");

        assertThat(hpa.at("apiVersion").text()).isEqualTo("autoscaling/v2");
        assertThat(hpa.at("spec", "scaleTargetRef", "kind").text()).isEqualTo("Deployment");
        assertThat(hpa.at("spec", "scaleTargetRef", "name").text()).isEqualTo(FULLNAME + "-worker");
        assertThat(Integer.parseInt(hpa.at("spec", "maxReplicas").text()))
                .isGreaterThanOrEqualTo(
                        Integer.parseInt(hpa.at("spec", "minReplicas").text()));
        assertThat(m.get("Deployment", FULLNAME + "-worker")
                        .at("spec", "replicas")
                        .isMissing())
                .isTrue();

        Manifests fixed = render(Map.of("worker.autoscaling.enabled", "false", "worker.replicas", "4"));
        assertThat(fixed.documents()).noneMatch(kind("HorizontalPodAutoscaler"));
        assertThat(fixed.get("Deployment", FULLNAME + "-worker")
                        .at("spec", "replicas")
                        .text())
                .isEqualTo("4");
    }

    @Test
    void serviceAndBudgetsSelectTheirOwnComponentsPods() {
        Manifests m = render(Map.of());
        Map<String, String> apiPods = m.get("Deployment", FULLNAME + "-api")
                .at("spec", "template", "metadata", "labels")
                .textMap();
        Map<String, String> workerPods = m.get("Deployment", FULLNAME + "-worker")
                .at("spec", "template", "metadata", "labels")
                .textMap();

        Map<String, String> service =
                m.get("Service", FULLNAME).at("spec", "selector").textMap();
        assertThat(apiPods).containsAllEntriesOf(service);
        assertThat(workerPods).doesNotContainEntry("app.kubernetes.io/component", "api");
        assertThat(workerPods.entrySet().containsAll(service.entrySet()))
                .as("the Service selects worker pods")
                .isFalse();
        assertThat(apiPods)
                .containsAllEntriesOf(m.get("PodDisruptionBudget", FULLNAME + "-api")
                        .at("spec", "selector", "matchLabels")
                        .textMap());
        assertThat(workerPods)
                .containsAllEntriesOf(m.get("PodDisruptionBudget", FULLNAME + "-worker")
                        .at("spec", "selector", "matchLabels")
                        .textMap());
        assertThat(m.get("Service", FULLNAME).at("spec").list("ports"))
                .singleElement()
                .satisfies(p -> assertThat(p.at("targetPort").text()).isEqualTo("http"));
    }

    @Test
    void podsCarryPrometheusScrapeAnnotations() {
        Manifests m = render(Map.of());

        for (String component : List.of("api", "worker")) {
            Map<String, String> annotations = m.get("Deployment", FULLNAME + "-" + component)
                    .at("spec", "template", "metadata", "annotations")
                    .textMap();
            assertThat(annotations)
                    .containsEntry("prometheus.io/scrape", "true")
                    .containsEntry("prometheus.io/path", "/actuator/prometheus")
                    .containsEntry(
                            "prometheus.io/port",
                            ports(container(m.get("Deployment", FULLNAME + "-" + component)))
                                    .get("management"))
                    .containsKey("checksum/config");
        }

        Manifests off = render(Map.of("metrics.enabled", "false"));
        assertThat(off.get("Deployment", FULLNAME + "-api")
                        .at("spec", "template", "metadata", "annotations")
                        .textMap())
                .doesNotContainKey("prometheus.io/scrape");
    }

    @Test
    void ingressIsOffByDefaultAndRoutesToTheServiceWhenEnabled() {
        assertThat(render(Map.of()).documents()).noneMatch(kind("Ingress"));

        Manifests m = render(Map.of(
                "ingress.enabled", "true",
                "ingress.className", "nginx",
                "ingress.hosts[0].host", "quantserve.test",
                "ingress.hosts[0].paths[0].path", "/",
                "ingress.hosts[0].paths[0].pathType", "Prefix"));
        YamlNode ingress = m.get("Ingress", FULLNAME);

        assertThat(ingress.at("spec", "ingressClassName").text()).isEqualTo("nginx");
        YamlNode rule = ingress.at("spec").list("rules").getFirst();
        assertThat(rule.at("host").text()).isEqualTo("quantserve.test");
        YamlNode backend = rule.at("http").list("paths").getFirst().at("backend", "service");
        assertThat(backend.at("name").text()).isEqualTo(FULLNAME);
        assertThat(backend.at("port", "number").text())
                .isEqualTo(m.get("Service", FULLNAME)
                        .at("spec")
                        .list("ports")
                        .getFirst()
                        .at("port")
                        .text());
    }

    @Test
    void aMissingS3EndpointIsRefusedByName() {
        assertThatThrownBy(() -> render(Map.of("s3.endpoint", ""))).hasMessageContaining("s3.endpoint is required");
    }

    /** The rendered objects of one release. */
    record Manifests(List<YamlNode> documents) {
        YamlNode get(String kind, String name) {
            return documents.stream()
                    .filter(kind(kind))
                    .filter(d -> d.at("metadata", "name").text().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " in " + kinds()));
        }

        List<String> kinds() {
            return documents.stream()
                    .map(d ->
                            d.at("kind").text() + "/" + d.at("metadata", "name").text())
                    .toList();
        }
    }

    private static Manifests render(Map<String, String> values) {
        TemplateCommand template = new Helm(CHART).template().withName(RELEASE);
        values.forEach(template::set);
        return new Manifests(YamlNode.parseAll(template.call()));
    }

    private static Predicate<YamlNode> kind(String kind) {
        return d -> kind.equals(d.at("kind").value());
    }

    private static YamlNode container(YamlNode deployment) {
        List<YamlNode> containers = deployment.at("spec", "template", "spec").list("containers");
        assertThat(containers).as(deployment.path()).hasSize(1);
        return containers.getFirst();
    }

    /** Port name to number of a container. */
    private static Map<String, String> ports(YamlNode container) {
        Map<String, String> ports = new LinkedHashMap<>();
        for (YamlNode port : container.list("ports")) {
            ports.put(port.at("name").text(), port.at("containerPort").text());
        }
        return ports;
    }

    /** The literal environment of a component's container (secret references left out). */
    private static Map<String, String> env(Manifests m, String component) {
        Map<String, String> env = new LinkedHashMap<>();
        for (YamlNode e :
                container(m.get("Deployment", FULLNAME + "-" + component)).list("env")) {
            if (!e.at("value").isMissing())
                env.put(e.at("name").text(), e.at("value").text());
        }
        return env;
    }

    /** Variable name to {@code secret/key} of each variable taken from a Secret; fails on an inlined credential. */
    private static Map<String, String> secretRefs(YamlNode container) {
        Map<String, String> refs = new LinkedHashMap<>();
        for (YamlNode e : container.list("env")) {
            String name = e.at("name").text();
            YamlNode ref = e.at("valueFrom", "secretKeyRef");
            if (!ref.isMissing()) {
                refs.put(name, ref.at("name").text() + "/" + ref.at("key").text());
            } else {
                assertThat(name).as("variable with a literal value").doesNotContain("PASSWORD", "SECRET", "ADMIN_KEY");
            }
        }
        return refs;
    }

    /** Mount path to volume name of the container's mounts that are emptyDirs of the pod. */
    private static Map<String, String> emptyDirMounts(YamlNode pod, YamlNode container) {
        List<String> emptyDirs = pod.list("volumes").stream()
                .filter(v -> !v.at("emptyDir").isMissing())
                .map(v -> v.at("name").text())
                .toList();
        Map<String, String> mounts = new LinkedHashMap<>();
        for (YamlNode mount : container.list("volumeMounts")) {
            String volume = mount.at("name").text();
            if (emptyDirs.contains(volume)) mounts.put(mount.at("mountPath").text(), volume);
        }
        return mounts;
    }
}
