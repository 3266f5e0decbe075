package dev.mailpipe;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package graph as docs/architecture.md draws it: no cycles between packages, the settings
 * and the shared small types at the bottom, and the components a route reuses (mime, imap, kafka)
 * free of the mailbox consumer and the ledger.
 */
class PackageGraphTest {

    private static JavaClasses mailpipe;

    @BeforeAll
    static void importClasses() {
        mailpipe = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.mailpipe");
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.mailpipe.(*)..").should().beFreeOfCycles().check(mailpipe);
    }

    @Test
    void settingsImportNothingOfMailpipeNorCamel() {
        noClasses()
                .that()
                .resideInAPackage("dev.mailpipe.config..")
                .should()
                .dependOnClassesThat(resideInAnyPackage("dev.mailpipe..", "org.apache.camel..")
                        .and(resideOutsideOfPackage("dev.mailpipe.config..")))
                .check(mailpipe);
    }

    @Test
    void sharedTypesSitOnTheSettingsOnly() {
        noClasses()
                .that()
                .resideInAPackage("dev.mailpipe.common..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.mailpipe.mailbox..",
                        "dev.mailpipe.ledger..",
                        "dev.mailpipe.files..",
                        "dev.mailpipe.mime..",
                        "dev.mailpipe.kafka..",
                        "dev.mailpipe.imap..",
                        "dev.mailpipe.oauth..",
                        "dev.mailpipe.cluster..",
                        "dev.mailpipe.ops..",
                        "dev.mailpipe.runner..",
                        "dev.mailpipe.check..",
                        "dev.mailpipe.demo..")
                .check(mailpipe);
    }

    @Test
    void reusableComponentsDoNotReachIntoTheConsumerOrTheLedger() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.mailpipe.mime..", "dev.mailpipe.imap..", "dev.mailpipe.kafka..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.mailpipe.mailbox..", "dev.mailpipe.ledger..", "dev.mailpipe.files..")
                .check(mailpipe);
    }

    @Test
    void mimeStaysFreeOfCamel() {
        noClasses()
                .that()
                .resideInAPackage("dev.mailpipe.mime..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.camel..")
                .check(mailpipe);
    }

    @Test
    void theMailboxConsumerDoesNotKnowItsSinks() {
        noClasses()
                .that()
                .resideInAPackage("dev.mailpipe.mailbox..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.mailpipe.ledger..",
                        "dev.mailpipe.files..",
                        "dev.mailpipe.kafka..",
                        "dev.mailpipe.imap..",
                        "dev.mailpipe.mime..")
                .check(mailpipe);
    }
}
