// Apache Jena SHACL (Debian's libapache-jena-java, Jena 4.5) for bench/shacl_engines.py.
//
// Run with the JDK's source launcher, one JVM for many validations:
//     java -cp FIX:JARS bench/JenaShacl.java < commands
// Each line of standard input is tab-separated: OUT SHAPES DATA [DATA ...]. The data files
// are read into one in-memory graph, the shapes file is parsed with Shapes.parse, and the
// report is written to OUT as N-Triples. One line is printed for each command:
//     ok LOAD_S VALIDATE_S CONFORMS RESULTS
//     refused CLASS: MESSAGE      (the shapes could not be parsed)
//     error CLASS: MESSAGE        (anything else)
// FIX is a directory with Xerces' message files at the place Debian's jena-core.jar needs
// them (bench/shacl_engines.py makes it); without it Jena does not start.

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.apache.jena.graph.Factory;
import org.apache.jena.graph.Graph;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.sys.JenaSystem;

public class JenaShacl {
    public static void main(String[] args) throws Exception {
        JenaSystem.init();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\t");
            System.out.println(run(parts));
            System.out.flush();
        }
    }

    static String oneLine(Throwable err) {
        String message = String.valueOf(err.getMessage()).replace('\n', ' ').replace('\r', ' ');
        if (message.length() > 300) {
            message = message.substring(0, 300);
        }
        return err.getClass().getName() + ": " + message;
    }

    static String run(String[] parts) {
        long start = System.nanoTime();
        Shapes shapes;
        Graph data;
        try {
            Graph shapesGraph = RDFDataMgr.loadGraph(parts[1]);
            data = Factory.createDefaultGraph();
            for (int i = 2; i < parts.length; i++) {
                RDFDataMgr.read(data, parts[i]);
            }
            try {
                shapes = Shapes.parse(shapesGraph);
            } catch (Throwable err) {
                return "refused " + oneLine(err);
            }
        } catch (Throwable err) {
            return "error " + oneLine(err);
        }
        long loaded = System.nanoTime();
        try {
            ValidationReport report = ShaclValidator.get().validate(shapes, data);
            long done = System.nanoTime();
            try (OutputStream out = new FileOutputStream(parts[0])) {
                RDFDataMgr.write(out, report.getGraph(), Lang.NTRIPLES);
            }
            return "ok " + (loaded - start) / 1e9 + " " + (done - loaded) / 1e9 + " "
                + report.conforms() + " " + report.getEntries().size();
        } catch (Throwable err) {
            return "error " + oneLine(err);
        }
    }
}
